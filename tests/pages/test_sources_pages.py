"""Source pages (HTML + htmx) through the Flask test client: multi-file upload, per-file
notices, the self-polling list fragment, the source page, rename, delete, URL import,
isolation and CSRF. Parsing is done by the real `python worker.py` (the `worker` fixture)."""

from __future__ import annotations

import csv
import html
import io
import os
import re
import signal
from contextlib import contextmanager

from webapp.extensions import db
from webapp.models import Source

from ..conftest import wait_for
from ..factories import make_project, make_user
from ..files import EXE_BYTES, make_corrupt_pdf, make_csv, make_docx, make_pdf

HTMX_LIST = {"HX-Request": "true", "HX-Target": "sources-list"}


def sources_url(project_id: str) -> str:
    return f"/projects/{project_id}/sources"


def upload(client, csrf, project_id, files, headers=None, token=None):
    """POST files (list of (bytes, filename)) in the `file` field, as the HTML form does."""
    token = token if token is not None else csrf(client.get(f"/projects/{project_id}"))
    data = {"file": [(io.BytesIO(content), name) for content, name in files]}
    if token:
        data["csrf_token"] = token
    return client.post(
        sources_url(project_id),
        data=data,
        headers=headers or {},
        content_type="multipart/form-data",
    )


def source_by_name(app, project_id, filename):
    with app.app_context():
        source = db.session.execute(
            db.select(Source).where(Source.project_id == project_id, Source.filename == filename)
        ).scalar_one()
        db.session.expunge(source)
        return source


def source_count(app, project_id=None) -> int:
    with app.app_context():
        query = db.select(db.func.count()).select_from(Source)
        if project_id:
            query = query.where(Source.project_id == project_id)
        return db.session.execute(query).scalar_one()


def list_fragment(client, project_id) -> str:
    response = client.get(sources_url(project_id), headers=HTMX_LIST)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def wait_until_done(client, project_id, worker, timeout=30) -> str:
    """Poll the fragment, as htmx does, until it stops polling (all sources done)."""

    def done():
        fragment = list_fragment(client, project_id)
        return fragment if "hx-trigger" not in fragment else None

    try:
        return wait_for(done, timeout=timeout, interval=0.2)
    except AssertionError:
        raise AssertionError(
            "sources never finished; worker log:\n" + open(worker.log_path).read()[-4000:]
        )


def assert_is_list_fragment(fragment: str) -> None:
    assert "<html" not in fragment and "Sign out" not in fragment, fragment[:300]
    body = re.sub(r"\{#.*?#\}", "", fragment, flags=re.S).strip()
    assert body.startswith('<div id="sources-list"'), body[:300]
    assert fragment.count('id="sources-list"') == 1


@contextmanager
def worker_paused(worker):
    """Hold the worker (SIGSTOP) so freshly uploaded sources stay pending; resume after."""
    os.kill(worker.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(worker.pid, signal.SIGCONT)


# ------------------------------------------------------------------------------ uploads


def test_form_upload_of_two_files_redirects_to_project_page(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user, name="Research")
    response = upload(
        client,
        csrf,
        project.id,
        [
            (make_pdf(["Quantum computing basics.", "Qubits and gates."]), "paper.pdf"),
            (make_docx(), "report.docx"),
        ],
    )
    assert response.status_code in (302, 303)
    assert response.headers["Location"].endswith(f"/projects/{project.id}")

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<html" in page and 'id="sources-list"' in page
    assert "paper.pdf" in page and "report.docx" in page
    # No notice per file: the list says it is reading them, each row has its status.
    assert "uploaded, parsing now" not in page
    assert re.search(r'class="sources-reading[^"]*" role="status">.*Reading 2 files…', page, re.S)
    assert source_count(app, project.id) == 2

    fragment = wait_until_done(client, project.id, worker)
    assert fragment.count("status-parsed") == 2, fragment
    # Once both are read the "Reading…" line is gone; the status lives in the rows.
    assert "sources-reading" not in fragment and "Reading" not in fragment


def test_htmx_upload_returns_only_the_list_fragment_with_notices(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user, name="Research")
    token = csrf(client.get(f"/projects/{project.id}"))
    response = upload(
        client,
        csrf,
        project.id,
        [
            (b"First notes about the launch.\n", "notes.txt"),
            (b"# Plan\n\nShip it in March.\n", "plan.md"),
        ],
        headers={**HTMX_LIST, "X-CSRFToken": token},
        token="",
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert_is_list_fragment(fragment)
    # The answer empties the page's flash area out of band (an earlier problem goes);
    # the files being read are said once, in the list, which polls until they are done.
    flashes = fragment[fragment.index('<div id="flashes"') :]
    assert 'hx-swap-oob="true"' in flashes.split(">", 1)[0]
    assert "flash-success" not in flashes
    assert "notes.txt</a>" in fragment and "plan.md</a>" in fragment
    if 'hx-trigger="every 2s"' in fragment:  # not both read yet
        assert "sources-reading" in fragment
    done = wait_until_done(client, project.id, worker)
    assert "sources-reading" not in done and "flashes" not in done


def test_exe_renamed_pdf_gets_its_own_error_while_the_good_file_is_accepted(
    client, auth, app, csrf, worker
):
    user = auth.signed_in()
    project = make_project(app, user, name="Research")
    response = upload(
        client,
        csrf,
        project.id,
        [
            (EXE_BYTES, "invoice.pdf"),
            (make_pdf(["A perfectly good document."]), "good.pdf"),
        ],
        headers=HTMX_LIST,
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert_is_list_fragment(fragment)
    errors = re.findall(r'<p class="flash flash-error" role="alert">([^<]*)</p>', fragment)
    assert len(errors) == 1, fragment
    assert errors[0].startswith("invoice.pdf: Unsupported file type"), errors
    # Only the good file became a source.
    assert "good.pdf</a>" in fragment and "invoice.pdf</a>" not in fragment
    assert source_count(app, project.id) == 1
    wait_until_done(client, project.id, worker)

    # Without htmx the same batch ends on the project page with the problem flashed.
    response = upload(
        client, csrf, project.id, [(EXE_BYTES, "setup.pdf"), (b"Plain text.", "ok.txt")]
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "setup.pdf: Unsupported file type" in page and "ok.txt</a>" in page
    assert source_count(app, project.id) == 2


def test_upload_without_files_says_so(client, auth, app, csrf):
    user = auth.signed_in()
    project = make_project(app, user)
    token = csrf(client.get(f"/projects/{project.id}"))
    response = client.post(
        sources_url(project.id),
        data={"csrf_token": token},
        headers=HTMX_LIST,
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Choose one or more files to upload." in response.get_data(as_text=True)
    assert source_count(app) == 0


def test_list_fragment_polls_while_pending_and_stops_when_parsed(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user, name="Research")
    with worker_paused(worker):
        response = upload(
            client,
            csrf,
            project.id,
            [(make_pdf(["Pending for a moment."]), "pending.pdf")],
            headers=HTMX_LIST,
        )
        fragment = response.get_data(as_text=True)
        assert 'hx-trigger="every 2s"' in fragment, fragment
        assert f'hx-get="{sources_url(project.id)}"' in fragment
        assert "status-uploaded" in fragment
        # The fragment polled by htmx still polls while the source waits.
        polled = list_fragment(client, project.id)
        assert_is_list_fragment(polled)
        assert 'hx-trigger="every 2s"' in polled and "status-uploaded" in polled
        # ... and so does the project page itself.
        page = client.get(f"/projects/{project.id}").get_data(as_text=True)
        assert 'hx-trigger="every 2s"' in page

    done = wait_until_done(client, project.id, worker)
    assert_is_list_fragment(done)
    assert "status-parsed" in done and "hx-get" not in done
    assert "hx-trigger" not in client.get(f"/projects/{project.id}").get_data(as_text=True)


# ------------------------------------------------------------------------- source page


def test_source_page_shows_preview_and_word_count(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user, name="Research")
    upload(
        client,
        csrf,
        project.id,
        [(make_pdf(["Quantum computing basics.", "Qubits and gates."]), "paper.pdf")],
    )
    wait_until_done(client, project.id, worker)
    source = source_by_name(app, project.id, "paper.pdf")
    assert source.status == "parsed" and source.word_count >= 6

    response = client.get(f"{sources_url(project.id)}/{source.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>paper.pdf</h1>" in page
    assert '<h2 id="preview-heading" class="h5">Text</h2>' in page
    preview = re.search(r'<div class="source-passages"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert "Quantum computing basics." in preview and "Qubits and gates." in preview
    assert f"{source.word_count:,} words" in page
    assert "2 pages" in page
    assert "status-parsed" in page and "hx-trigger" not in page
    # The list shows the same word count.
    assert f'<td data-label="Words">{source.word_count:,}</td>' in list_fragment(client, project.id)


def test_topics_csv_download_keeps_formula_cells_as_text(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user, name="Bulk")
    rows = [
        ('=HYPERLINK("http://evil.example","click")', "social"),
        ("+1 reasons to ship", ""),
        ("-sum(A1:A2)", "blog"),
        ("@cmd", ""),
        ("Plain topic", "email"),
        ("", "blog"),
    ]
    upload(client, csrf, project.id, [(make_csv(rows, header=("topic", "channel")), "ideas.csv")])
    wait_until_done(client, project.id, worker)
    source = source_by_name(app, project.id, "ideas.csv")
    assert source.status == "parsed"

    page = client.get(f"{sources_url(project.id)}/{source.id}").get_data(as_text=True)
    assert "5 usable rows for bulk generation." in page
    assert "Line 7: topic is empty" in page
    link = f"{sources_url(project.id)}/{source.id}/topics.csv"
    assert f'href="{link}"' in page

    response = client.get(link)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="ideas-topics.csv"' in response.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert table == [
        ["topic", "channel"],
        ['\'=HYPERLINK("http://evil.example","click")', "social"],
        ["'+1 reasons to ship", ""],
        ["'-sum(A1:A2)", "blog"],
        ["'@cmd", ""],
        ["Plain topic", "email"],
    ]
    # The stored source itself keeps every cell exactly as written.
    assert "=HYPERLINK" in source.parsed_text and "'=HYPERLINK" not in source.parsed_text


def test_topics_csv_download_neutralises_formulas_in_the_header_row(
    client, auth, app, csrf, worker
):
    """Extra columns may carry any name, and a spreadsheet evaluates a header cell like any
    other: the download's header row is made safe too."""
    user = auth.signed_in()
    project = make_project(app, user, name="Bulk")
    header = ("topic", '=HYPERLINK("http://evil.example","notes")', "@SUM(1+1)", "-2+3", "+cmd")
    upload(
        client,
        csrf,
        project.id,
        [(make_csv([("Plain topic", "a", "b", "c", "d")], header=header), "ideas.csv")],
    )
    wait_until_done(client, project.id, worker)
    source = source_by_name(app, project.id, "ideas.csv")
    assert source.status == "parsed", source.error_message

    response = client.get(f"{sources_url(project.id)}/{source.id}/topics.csv")
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert table[0] == [
        "topic",
        '\'=hyperlink("http://evil.example","notes")',
        "'@sum(1+1)",
        "'-2+3",
        "'+cmd",
    ]
    assert table[1] == ["Plain topic", "a", "b", "c", "d"]


def test_topics_download_of_a_non_csv_source_is_refused(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user)
    upload(client, csrf, project.id, [(b"Just notes.", "notes.txt")])
    wait_until_done(client, project.id, worker)
    source = source_by_name(app, project.id, "notes.txt")
    response = client.get(f"{sources_url(project.id)}/{source.id}/topics.csv")
    assert response.status_code == 400
    assert "Only a parsed CSV source" in response.get_data(as_text=True)


def test_source_page_shows_the_error_of_a_failed_source(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user, name="Research")
    upload(client, csrf, project.id, [(make_corrupt_pdf(), "broken.pdf")])
    fragment = wait_until_done(client, project.id, worker)
    source = source_by_name(app, project.id, "broken.pdf")
    assert source.status == "failed" and source.error_message
    assert "damaged" in source.error_message
    message = html.escape(source.error_message)
    assert "status-failed" in fragment and message in fragment

    page = client.get(f"{sources_url(project.id)}/{source.id}").get_data(as_text=True)
    assert "<strong>Couldn’t read this file:</strong> " + message in page
    assert 'role="alert"' in page
    assert 'id="preview-heading"' not in page and "hx-trigger" not in page


def test_rename_source(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user, name="Research")
    upload(client, csrf, project.id, [(b"Some notes.", "notes.txt")])
    source = source_by_name(app, project.id, "notes.txt")
    url = f"{sources_url(project.id)}/{source.id}"
    token = csrf(client.get(url))

    response = client.post(
        f"{url}/rename", data={"filename": "Interview notes.txt", "csrf_token": token}
    )
    assert response.status_code in (302, 303) and response.headers["Location"].endswith(url)
    page = client.get(url).get_data(as_text=True)
    assert "<h1>Interview notes.txt</h1>" in page and "Source renamed." in page
    assert "Interview notes.txt</a>" in list_fragment(client, project.id)

    empty = client.post(f"{url}/rename", data={"filename": "", "csrf_token": token})
    assert empty.status_code == 400
    assert "Give the source a name." in empty.get_data(as_text=True)
    assert source_by_name(app, project.id, "Interview notes.txt").id == source.id
    wait_until_done(client, project.id, worker)


def test_delete_asks_first_then_deletes(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user, name="Research")
    upload(client, csrf, project.id, [(b"Delete me soon.", "old.txt")])
    wait_until_done(client, project.id, worker)
    source = source_by_name(app, project.id, "old.txt")
    url = f"{sources_url(project.id)}/{source.id}"

    confirm = client.get(f"{url}/delete")
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert "Delete “old.txt”?" in page and "cannot be undone" in page
    assert f'action="{url}/delete"' in page
    assert source_count(app, project.id) == 1, "a GET must not delete"

    response = client.post(f"{url}/delete", data={"csrf_token": csrf(confirm)})
    assert response.status_code in (302, 303)
    assert response.headers["Location"].endswith(f"/projects/{project.id}")
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "“old.txt” was deleted." in after and "No sources yet" in after
    assert source_count(app, project.id) == 0
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/delete").status_code == 404


def test_delete_with_htmx_navigates_with_hx_location(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user)
    upload(client, csrf, project.id, [(b"Short lived.", "tmp.txt")])
    source = source_by_name(app, project.id, "tmp.txt")
    url = f"{sources_url(project.id)}/{source.id}"
    token = csrf(client.get(url))
    response = client.post(f"{url}/delete", headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 204
    assert response.headers["HX-Location"] == f"/projects/{project.id}"
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------------------- URL import


def test_url_import_of_a_private_address_is_refused(client, auth, app, csrf):
    user = auth.signed_in()
    project = make_project(app, user)
    token = csrf(client.get(f"/projects/{project.id}"))
    refusal = "That address is on a private or local network and cannot be imported."

    # Without JavaScript: the project page again, the import form unfolded with the
    # refusal next to the field and the address kept.
    response = client.post(
        f"{sources_url(project.id)}/url",
        data={"url": "http://192.168.1.1/admin", "csrf_token": token},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'<details class="fold" id="url-import" open>', page)
    assert f'<small id="url-error" class="field-error">{refusal}</small>' in page
    assert 'value="http://192.168.1.1/admin"' in page

    fragment = client.post(
        f"{sources_url(project.id)}/url",
        data={"url": "http://169.254.169.254/latest/meta-data/", "csrf_token": token},
        headers=HTMX_LIST,
    )
    text = fragment.get_data(as_text=True)
    assert_is_list_fragment(text)
    assert f'<p class="flash flash-error" role="alert">{refusal}</p>' in text
    assert source_count(app) == 0


def test_url_import_form_validation(client, auth, app, csrf):
    user = auth.signed_in()
    project = make_project(app, user)
    token = csrf(client.get(f"/projects/{project.id}"))
    response = client.post(
        f"{sources_url(project.id)}/url", data={"url": "", "csrf_token": token}, headers=HTMX_LIST
    )
    assert "Web page address: Enter the address of a web page." in response.get_data(as_text=True)
    assert source_count(app) == 0


# ------------------------------------------------------------------- isolation and CSRF


def test_another_users_project_and_source_pages_are_404(client, auth, app, csrf, worker):
    owner = auth.signed_in(email="owner@example.com")
    project = make_project(app, owner, name="Private research")
    upload(client, csrf, project.id, [(b"Secret plans.", "secret.txt")])
    wait_until_done(client, project.id, worker)
    source = source_by_name(app, project.id, "secret.txt")

    other_client = app.test_client()
    other = make_user(app, email="other@example.com")
    token = csrf(other_client.get("/login"))
    other_client.post(
        "/login", data={"email": other.email, "password": other.password, "csrf_token": token}
    )
    own_project = make_project(app, other, name="Mine")
    token = csrf(other_client.get(f"/projects/{own_project.id}"))

    theirs = f"{sources_url(project.id)}/{source.id}"
    for url in (
        f"/projects/{project.id}",
        sources_url(project.id),
        theirs,
        f"{theirs}/delete",
        # their source through my own project
        f"{sources_url(own_project.id)}/{source.id}",
    ):
        response = other_client.get(url)
        assert response.status_code == 404, url
        assert "Secret plans." not in response.get_data(as_text=True)
        assert "secret.txt" not in response.get_data(as_text=True)
    for url in (
        f"{theirs}/rename",
        f"{theirs}/delete",
        f"{sources_url(own_project.id)}/{source.id}/delete",
    ):
        response = other_client.post(url, data={"filename": "pwned", "csrf_token": token})
        assert response.status_code == 404, url
    upload_there = upload(other_client, csrf, project.id, [(b"Intruder.", "x.txt")], token=token)
    assert upload_there.status_code == 404

    assert source_count(app, project.id) == 1
    assert source_by_name(app, project.id, "secret.txt").id == source.id


def test_upload_without_csrf_token_is_refused(client, auth, app, csrf):
    user = auth.signed_in()
    project = make_project(app, user)
    response = upload(client, csrf, project.id, [(b"No token.", "notes.txt")], token="")
    assert response.status_code == 400
    htmx = upload(
        client, csrf, project.id, [(b"No token.", "notes.txt")], token="", headers=HTMX_LIST
    )
    assert htmx.status_code == 400
    wrong = upload(client, csrf, project.id, [(b"Bad token.", "notes.txt")], token="nope")
    assert wrong.status_code == 400
    assert source_count(app) == 0


def test_signed_out_visitor_is_sent_to_sign_in(client, app):
    user = make_user(app)
    project = make_project(app, user)
    response = client.get(sources_url(project.id))
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
