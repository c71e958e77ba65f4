"""GET /posts/{id}/export and GET /projects/{id}/export: files with the right headers,
the refusals (unknown format, a post not completed, approval required), what a viewer
may do, and the streamed ZIP with every post in three formats and its manifest."""

from __future__ import annotations

import io
import json
import zipfile

import docx
import pytest

from ..export_helpers import APPROVED, cited_post, generating_post, require_approval
from ..factories import add_member, make_project, make_team_project, make_user, make_workspace

pytestmark = pytest.mark.usefixtures("db")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def headers(auth):
    return auth.headers(email="owner@example.com")


@pytest.fixture
def owner(app, headers):
    return make_user(app, email="owner@example.com")


@pytest.fixture
def project(app, owner):
    return make_project(app, owner, name="Remote Work")


def get_export(client, headers, post_id, fmt):
    return client.get(f"/api/v1/posts/{post_id}/export?format={fmt}", headers=headers)


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("md", "text/markdown; charset=utf-8"),
        ("html", "text/html; charset=utf-8"),
        ("docx", DOCX),
    ],
)
def test_each_format_comes_as_an_attachment_named_after_the_title(
    client, app, headers, owner, project, fmt, content_type
):
    response = get_export(client, headers, cited_post(app, owner, project), fmt)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="async-standups.{fmt}"'
    )


def test_the_files_keep_their_footnotes_and_sources(client, app, headers, owner, project):
    post_id = cited_post(app, owner, project)
    markdown = get_export(client, headers, post_id, "md").get_data(as_text=True)
    assert "meet less often.[^1]" in markdown
    assert "[^1]: survey.md — “Teams that write things down meet less often.”" in markdown

    page = get_export(client, headers, post_id, "html").get_data(as_text=True)
    assert "<h2>Sources</h2>" in page and "<script" not in page

    document = docx.Document(io.BytesIO(get_export(client, headers, post_id, "docx").data))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "Sources") in styles
    assert any(
        link.address == "https://example.com/guide"
        for p in document.paragraphs
        for link in p.hyperlinks
    )


def test_the_format_defaults_to_markdown_and_an_unknown_one_is_refused(
    client, app, headers, owner, project
):
    post_id = cited_post(app, owner, project)
    plain = client.get(f"/api/v1/posts/{post_id}/export", headers=headers)
    assert plain.headers["Content-Type"] == "text/markdown; charset=utf-8"
    response = get_export(client, headers, post_id, "pdf")
    assert response.status_code == 400
    assert response.get_json()["detail"]["code"] == "VALIDATION_ERROR"


def test_a_post_still_being_written_cannot_be_exported(client, app, headers, owner, project):
    response = get_export(client, headers, generating_post(app, owner, project), "md")
    assert response.status_code == 409
    assert response.get_json()["detail"]["code"] == "INVALID_STATE"


def test_a_stranger_gets_404(client, app, auth, owner, project):
    post_id = cited_post(app, owner, project)
    stranger = auth.headers(email="stranger@example.com")
    assert get_export(client, stranger, post_id, "md").status_code == 404
    assert client.get(f"/api/v1/projects/{project.id}/export", headers=stranger).status_code == 404


def test_a_viewer_may_export(client, app, auth, owner):
    workspace = make_workspace(app, owner)
    project = make_team_project(app, workspace, owner)
    post_id = cited_post(app, owner, project)
    viewer_headers = auth.headers(email="viewer@example.com")
    add_member(app, workspace, make_user(app, email="viewer@example.com"), "viewer")
    assert get_export(client, viewer_headers, post_id, "docx").status_code == 200
    response = client.get(f"/api/v1/projects/{project.id}/export", headers=viewer_headers)
    assert response.status_code == 200


def read_zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(response.get_data()))


def test_the_project_zip_is_streamed_with_every_post_in_three_formats(
    client, app, headers, owner, project
):
    first = cited_post(app, owner, project)
    second = cited_post(app, owner, project, title="Écrire d'abord")
    response = client.get(f"/api/v1/projects/{project.id}/export", headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert response.headers["Content-Disposition"] == 'attachment; filename="remote-work.zip"'
    # Sent as it is written, chunk by chunk (a post at a time), with no length known ahead.
    assert response.is_streamed and "Content-Length" not in response.headers
    chunks = list(response.response)
    assert len(chunks) >= 3 and chunks[0].startswith(b"PK\x03\x04")

    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == sorted(
        ["manifest.json"]
        + [
            f"posts/{slug}.{ext}"
            for slug in ("async-standups", "ecrire-d-abord")
            for ext in ("md", "html", "docx")
        ]
    )
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["project"]["id"] == project.id and manifest["project"]["name"] == "Remote Work"
    assert [post["id"] for post in manifest["posts"]] == [first, second]
    assert manifest["posts"][0] == {
        "id": first,
        "title": "Async standups",
        "channel": "blog",
        "review_status": "draft",
        "item_version": 1,
        "words": 40,
        "files": [f"posts/async-standups.{ext}" for ext in ("md", "html", "docx")],
    }
    assert manifest["sources"] == [{"name": "survey.md", "type": "md"}] * 2
    assert "[^2]" in archive.read("posts/async-standups.md").decode("utf-8")
    docx.Document(io.BytesIO(archive.read("posts/ecrire-d-abord.docx")))  # opens


def test_approval_required_keeps_unapproved_posts_in(client, app, headers, owner, project):
    draft = cited_post(app, owner, project, title="Draft")
    approved = cited_post(app, owner, project, title="Approved", **APPROVED)
    edited = cited_post(app, owner, project, title="Edited", **dict(APPROVED, item_version=2))
    generating_post(app, owner, project)
    require_approval(app, project)

    for post_id in (draft, edited):
        response = get_export(client, headers, post_id, "html")
        assert response.status_code == 409
        assert response.get_json()["detail"]["code"] == "APPROVAL_REQUIRED"
    assert get_export(client, headers, approved, "html").status_code == 200

    archive = read_zip(client.get(f"/api/v1/projects/{project.id}/export", headers=headers))
    manifest = json.loads(archive.read("manifest.json"))
    assert [post["id"] for post in manifest["posts"]] == [approved]
    assert manifest["posts"][0]["review_status"] == "approved"
    assert {name.split(".")[0] for name in archive.namelist()} == {"manifest", "posts/approved"}


def test_an_empty_project_gives_a_zip_with_only_its_manifest(client, headers, project):
    archive = read_zip(client.get(f"/api/v1/projects/{project.id}/export", headers=headers))
    assert archive.namelist() == ["manifest.json"]
    assert json.loads(archive.read("manifest.json"))["posts"] == []


def test_openapi_describes_the_downloads(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    post = paths["/api/v1/posts/{post_id}/export"]["get"]
    assert set(post["responses"]["200"]["content"]) == {"text/markdown", "text/html", DOCX}
    assert "INVALID_STATE" in post["responses"]["409"]["x-error-codes"]
    assert "APPROVAL_REQUIRED" in post["responses"]["409"]["x-error-codes"]
    project = paths["/api/v1/projects/{project_id}/export"]["get"]
    assert set(project["responses"]["200"]["content"]) == {"application/zip"}
