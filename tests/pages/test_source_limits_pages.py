"""The plan's caps on sources from the pages (free plan numbers): the htmx upload and
URL import show why a file was refused, next to the files that were accepted; uploads
and imports are rate limited per user like the API."""

from __future__ import annotations

import html

import pytest

from webapp.services.plans import MB

from ..conftest import TEST_KEY_PREFIX, AuthActions
from ..factories import make_project, make_sources
from .test_sources_pages import HTMX_LIST, source_count, sources_url, upload


@pytest.fixture
def signed_in(app, client, auth, csrf, monkeypatch, web_pages):
    """A signed-in free-plan user with a project; jobs go to a queue no worker listens to."""
    monkeypatch.setitem(app.config, "REDIS_KEY_PREFIX", f"{TEST_KEY_PREFIX}-idle")
    monkeypatch.setitem(app.config, "ALLOWED_PRIVATE_HOSTS", [web_pages.host_port])
    user = auth.signed_in()
    project = make_project(app, user, name="Research")
    token = csrf(client.get(f"/projects/{project.id}"))
    return user, project, {**HTMX_LIST, "X-CSRFToken": token}


def htmx_upload(client, csrf, project_id, headers, names) -> str:
    response = upload(
        client,
        csrf,
        project_id,
        [(b"Some notes.", name) for name in names],
        headers=headers,
        token="",
    )
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def htmx_import(client, project_id, headers, web_pages) -> str:
    response = client.post(
        f"{sources_url(project_id)}/url", headers=headers, data={"url": f"{web_pages.url}/article"}
    )
    return html.unescape(response.get_data(as_text=True))


def test_dropping_six_files_queues_five_and_says_why_not_the_sixth(
    client, csrf, app, signed_in, web_pages
):
    _, project, headers = signed_in
    names = [f"notes-{i}.txt" for i in range(5)] + ["one-too-many.txt"]
    fragment = htmx_upload(client, csrf, project.id, headers, names)
    assert fragment.count('status-uploaded"') == 5
    assert "Reading 5 files…" in fragment
    assert (
        "one-too-many.txt: 5 documents are already waiting to be parsed, the most the "
        "free plan allows at once; try again when one is done."
    ) in fragment
    assert "5 documents are already waiting" in htmx_import(client, project.id, headers, web_pages)
    assert source_count(app, project.id) == 5


def test_a_full_project_says_so(client, csrf, app, signed_in, web_pages):
    user, project, headers = signed_in
    make_sources(app, user, project, count=50)
    fragment = htmx_upload(client, csrf, project.id, headers, ["more.txt"])
    assert (
        "more.txt: This project has 50 sources, the most the free plan allows; delete "
        "some to add more."
    ) in fragment
    assert "This project has 50 sources" in htmx_import(client, project.id, headers, web_pages)
    assert source_count(app, project.id) == 50


def test_full_storage_says_so(client, csrf, app, signed_in):
    user, project, headers = signed_in
    make_sources(app, user, make_project(app, user, name="Archive"), file_size=100 * MB)
    fragment = htmx_upload(client, csrf, project.id, headers, ["notes.txt"])
    assert (
        "notes.txt: Your sources use 100 MB of the 100 MB the free plan allows, and this "
        "would not fit; delete some sources to make room."
    ) in fragment
    assert source_count(app, project.id) == 0


def test_page_uploads_are_rate_limited_per_user_like_the_api(client, csrf, app, signed_in):
    _, project, headers = signed_in
    for _ in range(100):  # no file chosen: answered at once, but counted
        response = upload(client, csrf, project.id, [], headers=headers, token="")
        assert "Choose one or more files" in response.get_data(as_text=True)
    limited = upload(client, csrf, project.id, [], headers=headers, token="")
    assert limited.status_code == 429
    assert "Too many requests" in limited.get_data(as_text=True)

    other = app.test_client()
    own = make_project(app, AuthActions(app, other).signed_in(email="other@example.com"))
    token = csrf(other.get(f"/projects/{own.id}"))
    assert (
        upload(
            other,
            csrf,
            own.id,
            [(b"Notes.", "notes.txt")],
            headers={**HTMX_LIST, "X-CSRFToken": token},
            token="",
        ).status_code
        == 200
    )
