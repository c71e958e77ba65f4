"""Sources API with a real `python worker.py` on real Redis: every format and every bad
input of the sources issue, as reference 004 documents the endpoints."""

import io

import pytest

from webapp.extensions import db
from webapp.models import Source

from ..conftest import wait_for
from ..factories import make_project, make_user
from ..files import (
    EXE_BYTES,
    make_corrupt_pdf,
    make_csv,
    make_docx,
    make_encrypted_pdf,
    make_image_only_pdf,
    make_pdf,
    make_truncated_docx,
    make_zip_bomb_docx,
)


@pytest.fixture
def api(client, auth, worker):
    """An authenticated caller with a project; uploads go through the real worker."""

    class Api:
        headers = auth.headers()
        project = client.post(
            "/api/v1/projects", headers=headers, json={"name": "Research"}
        ).get_json()

        def upload(self, data: bytes, filename: str, project_id=None):
            return client.post(
                f"/api/v1/sources/projects/{project_id or self.project['id']}/sources",
                headers=self.headers,
                data={"file": (io.BytesIO(data), filename)},
            )

        def source(self, source_id):
            return client.get(f"/api/v1/sources/sources/{source_id}", headers=self.headers)

        def finished(self, source_id, timeout=30):
            def done():
                body = self.source(source_id).get_json()
                return body if body["status"] in ("parsed", "failed") else None

            try:
                return wait_for(done, timeout=timeout)
            except AssertionError:
                raise AssertionError(open(worker.log_path).read()[-4000:])

        def upload_and_wait(self, data, filename):
            response = self.upload(data, filename)
            assert response.status_code == 201, response.get_json()
            return self.finished(response.get_json()["id"])

    return Api()


def test_upload_pdf_then_poll_until_parsed(api):
    response = api.upload(
        make_pdf(["Quantum computing basics.", "Qubits and gates."]), "research-paper.pdf"
    )
    assert response.status_code == 201
    created = response.get_json()
    assert created["status"] == "uploaded"
    assert created["file_type"] == "pdf" and created["filename"] == "research-paper.pdf"
    assert created["file_size"] > 0 and created["s3_key"].startswith("sources/")
    assert created["created_at"].endswith("Z")
    body = api.finished(created["id"])
    assert body["status"] == "parsed", body["error_message"]
    assert "Qubits and gates." in body["parsed_text"]
    assert body["word_count"] >= 6 and body["details"]["pages"] == 2
    assert body["error_message"] is None


def test_docx_keeps_headings_and_lists_as_markdown(api):
    body = api.upload_and_wait(make_docx(), "report.docx")
    assert body["status"] == "parsed", body["error_message"]
    assert "# Quarterly Report" in body["parsed_text"]
    assert "First point" in body["parsed_text"]


def test_markdown_and_text(api):
    md = api.upload_and_wait("# Notes\n\nCafé au lait — naïve.".encode(), "notes.md")
    assert md["file_type"] == "md" and "Café au lait" in md["parsed_text"]
    latin = api.upload_and_wait(("Crème brûlée et café. " * 20).encode("cp1252"), "notes.txt")
    assert latin["status"] == "parsed" and "Crème brûlée" in latin["parsed_text"]


def test_csv_reports_rows_and_problems_and_keeps_formulas_as_text(api):
    data = make_csv(
        [
            ["SEO Best Practices for 2025", "professional", "Include examples", ""],
            ["", "casual", "", ""],
            ['=HYPERLINK("http://evil.example")', "casual", "", ""],
            ["Good topic", "", "", "enormous"],
        ],
        header=["topic", "voice", "custom_instructions", "target_length"],
    )
    body = api.upload_and_wait(data, "topics.csv")
    assert body["status"] == "parsed", body["error_message"]
    assert body["details"]["rows"] == 2
    assert [p["row"] for p in body["details"]["problems"]] == [3, 5]
    assert '=HYPERLINK("http://evil.example")' in body["parsed_text"]


@pytest.mark.parametrize(
    "make, filename, message",
    [
        (make_encrypted_pdf, "locked.pdf", "password"),
        (make_corrupt_pdf, "broken.pdf", "damaged"),
        (make_image_only_pdf, "scan.pdf", "is it a scan?"),
        (make_truncated_docx, "cut.docx", "damaged"),
        (make_zip_bomb_docx, "bomb.docx", "zip bomb"),
    ],
)
def test_hostile_documents_fail_with_a_readable_reason(api, make, filename, message):
    data = make("Secret text") if make is make_encrypted_pdf else make()
    body = api.upload_and_wait(data, filename)
    assert body["status"] == "failed"
    assert message in body["error_message"]
    assert body["parsed_text"] is None


def test_csv_without_topic_column_fails(api):
    body = api.upload_and_wait(b"title,voice\nHello,casual\n", "topics.csv")
    assert body["status"] == "failed" and "topic" in body["error_message"]


def test_worker_keeps_serving_after_failures(api):
    api.upload_and_wait(make_zip_bomb_docx(), "bomb.docx")
    api.upload_and_wait(make_corrupt_pdf(), "broken.pdf")
    assert api.upload_and_wait(b"Still working.", "after.txt")["status"] == "parsed"


@pytest.mark.parametrize(
    "data, filename",
    [
        (EXE_BYTES, "invoice.pdf"),
        (b"just some text", "report.pdf"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "photo.png"),
    ],
)
def test_disguised_or_unsupported_types_are_refused_at_upload(api, app, data, filename):
    response = api.upload(data, filename)
    assert response.status_code == 400
    assert response.get_json()["detail"]["code"] == "UNSUPPORTED_FILE_TYPE"
    with app.app_context():
        assert db.session.query(Source).count() == 0


def test_empty_file_is_refused(api):
    response = api.upload(b"", "empty.txt")
    assert response.status_code == 400
    assert response.get_json()["detail"]["code"] == "EMPTY_FILE"


def test_file_over_20_mb_is_413_file_too_large(api, app):
    response = api.upload(b"a" * (20 * 1024 * 1024 + 1), "huge.txt")
    assert response.status_code == 413
    assert response.get_json()["detail"]["code"] == "FILE_TOO_LARGE"
    much_larger = api.upload(b"a" * (25 * 1024 * 1024), "huger.txt")
    assert much_larger.status_code == 413
    assert much_larger.get_json()["detail"]["code"] == "FILE_TOO_LARGE"
    with app.app_context():
        assert db.session.query(Source).count() == 0


def test_file_names_are_cleaned(api):
    response = api.upload(b"hello", "../../etc/pass\x07wd.txt")
    assert response.status_code == 201
    assert response.get_json()["filename"] == "passwd.txt"


def test_missing_file_field_is_400(api, client):
    url = f"/api/v1/sources/projects/{api.project['id']}/sources"
    response = client.post(
        url, headers=api.headers, data={"attachment": (io.BytesIO(b"x"), "x.txt")}
    )
    assert response.status_code == 400
    assert response.get_json()["detail"]["errors"][0]["loc"] == ["body", "file"]
    not_multipart = client.post(url, headers=api.headers, data={"file": "x"})
    assert not_multipart.status_code == 415


def test_list_filters_paginates_and_renames_and_deletes(api, client, app):
    pdf = api.upload_and_wait(make_pdf(["One."]), "a.pdf")
    md = api.upload_and_wait(b"# Two", "b.md")
    base = f"/api/v1/sources/projects/{api.project['id']}/sources"
    listing = client.get(base, headers=api.headers).get_json()
    assert listing["total"] == 2 and [s["id"] for s in listing["sources"]] == [md["id"], pdf["id"]]
    assert client.get(base + "?file_type=pdf", headers=api.headers).get_json()["total"] == 1
    assert client.get(base + "?status=failed", headers=api.headers).get_json()["total"] == 0
    page = client.get(base + "?limit=1&offset=1", headers=api.headers).get_json()
    assert [s["id"] for s in page["sources"]] == [pdf["id"]]
    assert client.get(base + "?status=bogus", headers=api.headers).status_code == 400
    renamed = client.put(
        f"/api/v1/sources/sources/{pdf['id']}",
        headers=api.headers,
        json={"filename": "updated-research-paper.pdf"},
    )
    assert renamed.status_code == 200
    assert renamed.get_json()["filename"] == "updated-research-paper.pdf"
    storage_file = app.config["UPLOAD_DIR"] + "/" + pdf["s3_key"]
    import os

    assert os.path.exists(storage_file)
    assert (
        client.delete(f"/api/v1/sources/sources/{pdf['id']}", headers=api.headers).status_code
        == 204
    )
    assert not os.path.exists(storage_file)
    assert api.source(pdf["id"]).status_code == 404


def test_deleting_the_project_removes_source_files(api, client, app):
    import os

    body = api.upload_and_wait(b"Keep me?", "k.txt")
    path = os.path.join(app.config["UPLOAD_DIR"], body["s3_key"])
    assert os.path.exists(path)
    assert (
        client.delete(f"/api/v1/projects/{api.project['id']}", headers=api.headers).status_code
        == 204
    )
    assert not os.path.exists(path)
    with app.app_context():
        assert db.session.query(Source).count() == 0


def test_another_users_sources_are_404(api, client, app):
    body = api.upload_and_wait(b"private notes", "private.txt")
    intruder = {
        "Authorization": client.post(
            "/api/v1/auth/login",
            json={
                "email": make_user(app, email="intruder@example.com").email,
                "password": "SecurePassword123!",
            },
        ).get_json()["access_token"]
    }
    intruder = {"Authorization": f"Bearer {intruder['Authorization']}"}
    url = f"/api/v1/sources/sources/{body['id']}"
    assert client.get(url, headers=intruder).status_code == 404
    assert client.put(url, headers=intruder, json={"filename": "x"}).status_code == 404
    assert client.delete(url, headers=intruder).status_code == 404
    listing = client.get(f"/api/v1/sources/projects/{api.project['id']}/sources", headers=intruder)
    assert listing.status_code == 404
    assert listing.get_json()["detail"]["code"] == "PROJECT_NOT_FOUND"
    own_project = make_project(app, make_user(app, email="intruder@example.com"))
    upload = client.post(
        f"/api/v1/sources/projects/{api.project['id']}/sources",
        headers=intruder,
        data={"file": (io.BytesIO(b"x"), "x.txt")},
    )
    assert upload.status_code == 404
    assert own_project.id != api.project["id"]
    assert api.source(body["id"]).get_json()["filename"] == "private.txt"
