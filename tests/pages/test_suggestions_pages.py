"""Suggestions on the pages, with the real worker and no model: the "Ask for a suggestion"
form (plain post back to the editor, or the list swapped in by htmx), a pending card that
polls until written, then Accept and Reject as plain forms."""

from __future__ import annotations

import pytest

from webapp.extensions import db
from webapp.models import Post, PostSuggestion

from ..conftest import wait_for
from ..factories import make_completed_post, make_project
from ..fixtures.http_client import csrf_token_from
from ..services.test_suggestions import MARKDOWN, blog_content

pytestmark = pytest.mark.usefixtures("db")

PARAGRAPH = MARKDOWN.split("\n\n")[1]
HTMX_LIST = {"HX-Request": "true", "HX-Target": "suggestions"}


@pytest.fixture
def page(app, client, auth, worker):
    user = auth.signed_in()
    project = make_project(app, user)
    post_id = make_completed_post(app, user, project, blog_content())
    token = csrf_token_from(client.get(f"/posts/{post_id}"))
    return post_id, token


def only_suggestion(app, post_id) -> str:
    with app.app_context():
        return db.session.execute(
            db.select(PostSuggestion.id).where(PostSuggestion.post_id == post_id)
        ).scalar_one()


def card(client, suggestion_id) -> str:
    response = client.get(
        f"/suggestions/{suggestion_id}",
        headers={"HX-Request": "true", "HX-Target": f"suggestion-{suggestion_id}"},
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_ask_watch_and_accept_without_javascript(app, client, page):
    post_id, token = page
    asked = client.post(
        f"/posts/{post_id}/suggestions",
        data={"quote": PARAGRAPH, "action": "shorten", "csrf_token": token},
    )
    assert asked.status_code == 302
    assert asked.headers["Location"].endswith(f"/posts/{post_id}/edit#suggestions")
    suggestion_id = only_suggestion(app, post_id)

    written = wait_for(
        lambda: (lambda html: html if "hx-trigger" not in html else None)(
            card(client, suggestion_id)
        ),
        timeout=30,
        interval=0.2,
    )
    assert "<del>" in written and "Accept" in written and "Reject" in written
    assert 'name="item_version" value="1"' in written

    accepted = client.post(
        f"/suggestions/{suggestion_id}/accept", data={"item_version": "1", "csrf_token": token}
    )
    assert accepted.status_code == 302
    assert accepted.headers["Location"].endswith(f"/posts/{post_id}/edit")
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert post.item_version == 2 and "two weeks" not in post.content["markdown"]
        assert db.session.get(PostSuggestion, suggestion_id).status == "accepted"


def test_the_htmx_form_shows_what_is_possible_and_why(app, client, page):
    post_id, token = page
    refused = client.post(
        f"/posts/{post_id}/suggestions",
        data={"quote": PARAGRAPH, "action": "rewrite", "csrf_token": token},
        headers=HTMX_LIST,
    )
    assert refused.status_code == 200
    html = refused.get_data(as_text=True)
    assert 'id="suggestions"' in html and "LLM_MODEL" in html
    assert '<option value="shorten"' in html and '<option value="rewrite"' not in html
    assert 'name="quote"' in html and 'id="suggestion-quote"' in html  # the editor fills it

    asked = client.post(
        f"/posts/{post_id}/suggestions",
        data={"quote": PARAGRAPH, "action": "shorten", "csrf_token": token},
        headers=HTMX_LIST,
    )
    html = asked.get_data(as_text=True)
    assert 'hx-trigger="every 2s"' in html  # the new card polls
    suggestion_id = only_suggestion(app, post_id)
    wait_for(lambda: "hx-trigger" not in card(client, suggestion_id), timeout=30, interval=0.2)
    rejected = client.post(
        f"/suggestions/{suggestion_id}/reject",
        data={"csrf_token": token},
        headers={"HX-Request": "true", "HX-Target": f"suggestion-{suggestion_id}"},
    )
    assert "rejected" in rejected.get_data(as_text=True)
    assert "Accept" not in rejected.get_data(as_text=True)
