"""The editor and revisions pages: edit with autosave (htmx) or a plain form post, the
live preview, the conflict view after someone else saved, and restoring a revision."""

from __future__ import annotations

import re

import pytest

from webapp.extensions import db
from webapp.models import Post

from ..factories import add_member, make_team_project
from ..fixtures.http_client import csrf_token_from
from ..review_factories import BLOG_MARKDOWN, make_reviewable_post
from ..voice_helpers import person
from ..workspace_helpers import make_workspace

pytestmark = pytest.mark.usefixtures("db")
HTMX = {"HX-Request": "true", "HX-Target": "editor-status"}


@pytest.fixture
def post_id(app):
    owner, _ = person(app, "owner@example.com", plan="pro")
    workspace = make_workspace(app, owner, "Team")
    viewer, _ = person(app, "viewer@example.com")
    add_member(app, workspace, viewer, "viewer")
    return make_reviewable_post(app, owner, make_team_project(app, workspace, owner))


def sign_in(auth, email="owner@example.com"):
    assert auth.login_page(email).status_code in (302, 303)


def save(client, post_id, markdown, version, headers=None):
    token = csrf_token_from(client.get(f"/posts/{post_id}/edit"))
    data = {"csrf_token": token, "item_version": version, "markdown": markdown}
    return client.post(f"/posts/{post_id}/edit", data=data, headers=headers or {})


def version_of(app, post_id):
    with app.app_context():
        return db.session.get(Post, post_id).item_version


def test_the_editor_shows_the_markdown_a_toolbar_and_the_preview(client, auth, post_id):
    sign_in(auth)
    page = client.get(f"/posts/{post_id}/edit").get_data(as_text=True)
    assert "Teams that write things down meet less often.[1]" in page  # in the textarea
    assert 'role="toolbar"' in page and 'data-md="bold"' in page
    assert 'id="editor-preview"' in page and 'href="#cite-1"' in page
    assert 'name="item_version" type="hidden" value="1"' in page


def test_a_viewer_cannot_open_the_editor(client, auth, post_id):
    sign_in(auth, "viewer@example.com")
    assert client.get(f"/posts/{post_id}/edit").status_code == 403


def test_a_plain_save_goes_back_to_the_post_with_its_new_version(app, client, auth, post_id):
    sign_in(auth)
    response = save(client, post_id, BLOG_MARKDOWN.replace("two weeks", "a month"), 1)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved as version 2." in page and "Try it for a month." in page


def test_autosave_answers_with_its_status_and_the_next_version(app, client, auth, post_id):
    sign_in(auth)
    response = save(client, post_id, BLOG_MARKDOWN + "\nMore.\n", 1, HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Saved · version 2" in html
    assert re.search(r'id="item-version" name="item_version" value="2" hx-swap-oob="true"', html)


def test_a_stale_save_shows_both_versions_and_keeps_the_text(app, client, auth, post_id):
    sign_in(auth)
    assert (
        save(client, post_id, BLOG_MARKDOWN.replace("two weeks", "a month"), 1).status_code == 302
    )
    mine = BLOG_MARKDOWN.replace("two weeks", "a year")
    response = save(client, post_id, mine, 1)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else saved this post while you were editing" in page
    assert "Try it for a month." in page  # theirs
    assert "Try it for a year." in page  # mine, still in the form
    assert "-Try it for a month.\n+Try it for a year." in page.replace("&#39;", "'")
    assert 'name="item_version" type="hidden" value="2"' in page  # keeping mine saves over
    assert version_of(app, post_id) == 2
    htmx = save(client, post_id, mine, 1, HTMX)
    assert htmx.status_code == 200
    assert htmx.headers["HX-Retarget"] == "#editor"
    assert 'hx-trigger="submit"' in htmx.get_data(as_text=True)  # autosave paused


def test_a_save_the_channel_refuses_says_why_next_to_the_text(app, client, auth, post_id):
    sign_in(auth)
    response = save(client, post_id, "# T\n\n" + "w " * 100_001, 1, HTMX)
    assert "Not saved:" in response.get_data(as_text=True)
    assert version_of(app, post_id) == 1


def test_the_preview_renders_the_unsaved_text(client, auth, post_id):
    sign_in(auth)
    token = csrf_token_from(client.get(f"/posts/{post_id}/edit"))
    response = client.post(
        f"/posts/{post_id}/preview",
        data={"csrf_token": token, "item_version": 1, "markdown": "# New\n\n**Bold** claim.[2]"},
        headers={"HX-Request": "true", "HX-Target": "editor-preview"},
    )
    html = response.get_data(as_text=True)
    assert "<strong>Bold</strong> claim." in html
    assert 'href="#cite-2"' in html and "Asynchronous standups save" in html


def test_revisions_are_listed_compared_and_restored(app, client, auth, post_id):
    sign_in(auth)
    save(client, post_id, BLOG_MARKDOWN.replace("two weeks", "a month"), 1)
    page = client.get(f"/posts/{post_id}/revisions").get_data(as_text=True)
    assert "Generated draft" in page and "Edited the conclusion (same length)" in page
    ids = re.findall(r'name="compare" value="([0-9a-f]{24})"', page)
    newest, first = ids
    compared = client.get(f"/posts/{post_id}/revisions?compare={newest}&against={first}").get_data(
        as_text=True
    )
    assert "Version 1 → version 2" in compared
    assert re.search(r'class="diff-remove">.*−Try it for two weeks\.', compared)
    assert re.search(r'class="diff-add">.*\+Try it for a month\.', compared)
    token = csrf_token_from(client.get(f"/posts/{post_id}/edit"))
    restored = client.post(
        f"/posts/{post_id}/revisions/{first}/restore", data={"csrf_token": token}
    )
    assert restored.status_code == 302
    assert version_of(app, post_id) == 3
    post_page = client.get(f"/posts/{post_id}").get_data(as_text=True)
    assert "Revision 1 restored as version 3." in post_page and "Try it for two weeks." in post_page
