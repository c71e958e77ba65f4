"""Comments and the share link on a post's page: forms that work without JavaScript and
answer htmx with their panel; what each role is offered."""

from __future__ import annotations

import re

import pytest

from webapp.extensions import db
from webapp.models import PostComment, ShareLink

from ..fixtures.http_client import AuthActions, csrf_token_from
from ..review_helpers import team_post

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def team(app):
    return team_post(app)


def signed_in(app, role):
    client = app.test_client()
    response = AuthActions(app, client).login_page(f"{role}@example.com")
    assert response.status_code in (302, 303)
    return client


def post_page(client, team) -> str:
    response = client.get(f"/posts/{team.post_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def send(client, team, url, **form):
    token = csrf_token_from(client.get(f"/posts/{team.post_id}"))
    return client.post(url, data={"csrf_token": token, **form})


def comments_of(app):
    with app.app_context():
        return (
            db.session.execute(db.select(PostComment).order_by(PostComment.created_at))
            .scalars()
            .all()
        )


def test_a_reviewer_comments_on_a_passage_and_a_reply_joins_the_thread(app, team):
    client = signed_in(app, "reviewer")
    response = send(
        client, team, f"/posts/{team.post_id}/comments", body="Source?", quote="meet less often"
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/posts/{team.post_id}#comments")
    (first,) = comments_of(app)
    send(client, team, f"/posts/{team.post_id}/comments", body="Found it", parent_id=first.id)
    page = post_page(client, team)
    assert "Source?" in page and "Found it" in page
    assert 'class="comment-quote">meet less often<' in page
    assert 'data-highlight-quote="meet less often"' in page
    assert "/static/js/comments.js" in page


def test_htmx_gets_the_panel_with_a_refusal_shown_in_it(app, team):
    client = signed_in(app, "editor")
    token = csrf_token_from(client.get(f"/posts/{team.post_id}"))
    response = client.post(
        f"/posts/{team.post_id}/comments",
        data={"csrf_token": token, "body": "On it", "quote": "not in the post"},
        headers={"HX-Request": "true", "HX-Target": "comments"},
    )
    assert response.status_code == 200
    panel = response.get_data(as_text=True)
    assert '<section id="comments"' in panel
    assert "not in the post" in panel and "<html" not in panel  # the refusal, the text kept
    assert comments_of(app) == []


def test_resolve_reopen_edit_own_and_delete(app, team):
    editor = signed_in(app, "editor")
    send(editor, team, f"/posts/{team.post_id}/comments", body="Tpyo @Rita Reviewer")
    (made,) = comments_of(app)
    send(editor, team, f"/comments/{made.id}/edit", body="Typo")
    send(editor, team, f"/comments/{made.id}/resolve", resolved="1")
    (made,) = comments_of(app)
    assert (made.body, made.resolved) == ("Typo", True)
    assert "Reopen" in post_page(editor, team)
    reviewer = signed_in(app, "reviewer")
    refused = send(reviewer, team, f"/comments/{made.id}/edit", body="Mine now")
    assert refused.status_code == 303  # told on the page, nothing changed
    assert comments_of(app)[0].body == "Typo"
    assert "Delete comment" not in post_page(reviewer, team)
    assert send(reviewer, team, f"/comments/{made.id}/delete").status_code == 403
    assert send(editor, team, f"/comments/{made.id}/delete").status_code == 303
    assert comments_of(app) == []


def test_a_viewer_reads_comments_but_is_offered_no_form(app, team):
    send(signed_in(app, "editor"), team, f"/posts/{team.post_id}/comments", body="Hello team")
    viewer = signed_in(app, "viewer")
    page = post_page(viewer, team)
    assert "Hello team" in page
    assert 'action="/posts' not in page and "/comments/" not in re.sub(r"#comment", "", page)
    assert send(viewer, team, f"/posts/{team.post_id}/comments", body="Hi").status_code == 403


def test_script_in_a_comment_is_shown_as_text(app, team):
    client = signed_in(app, "editor")
    send(client, team, f"/posts/{team.post_id}/comments", body="<script>alert(1)</script>")
    page = post_page(client, team)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_editor_makes_a_link_sees_its_url_once_and_revokes_it(app, team):
    client = signed_in(app, "editor")
    response = send(
        client, team, f"/posts/{team.post_id}/share", expires_in_days="7", allow_comments="1"
    )
    assert response.status_code == 200
    url = re.search(r'id="share-url" value="([^"]+)"', response.get_data(as_text=True)).group(1)
    token = url.rsplit("/share/", 1)[1]
    assert app.test_client().get(f"/share/{token}").status_code == 200
    page = post_page(client, team)
    assert token not in page and "guests may comment" in page and "Revoke link" in page
    with app.app_context():
        assert db.session.execute(db.select(ShareLink)).scalar_one().allow_comments is True
    revoked = send(client, team, f"/posts/{team.post_id}/share/revoke")
    assert revoked.status_code == 303
    assert app.test_client().get(f"/share/{token}").status_code == 404
    assert "Not shared." in post_page(client, team)


def test_readers_are_not_offered_the_share_forms(app, team):
    for role in ("viewer", "reviewer"):
        page = post_page(signed_in(app, role), team)
        assert "Make share link" not in page, role
        assert send(signed_in(app, role), team, f"/posts/{team.post_id}/share").status_code == 403
