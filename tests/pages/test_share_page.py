"""The share page: a guest reads the post without an account, kept out of search engines
and referrers; expired, revoked and unknown links are a bare 404; guests comment (when
allowed) with a name, at most 5 a minute, and nothing they write runs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from webapp.extensions import db
from webapp.models import Post, ShareLink, User
from webapp.timeutil import utcnow

from ..fixtures.http_client import csrf_token_from
from ..post_page_factories import TITLE, TOPIC, make_channel_post
from ..review_helpers import api_headers, team_post

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def shared(app, client):
    """(team, token) of a post shared with guest comments allowed; nobody signed in."""
    team = team_post(app)
    headers = api_headers(client, "editor@example.com")
    response = client.post(
        f"/api/v1/posts/{team.post_id}/share", headers=headers, json={"allow_comments": True}
    )
    assert response.status_code == 201, response.get_json()
    return team, response.get_json()["token"]


def test_a_guest_reads_the_post_with_its_footnotes_without_an_account(client, shared):
    _, token = shared
    response = client.get(f"/share/{token}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Teams that write things down meet less often." in page
    assert 'id="cite-1"' in page and "survey.md" in page  # the footnote
    assert 'href="#cite-1"' in page  # its reference in the text
    assert "Sign out" not in page and "/projects" not in page  # none of the app around it
    assert '<meta name="robots" content="noindex">' in page


def test_the_page_is_not_indexed_and_sends_no_referrer(client, shared):
    _, token = shared
    for url in (f"/share/{token}", "/share/unknown-token"):
        response = client.get(url)
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow", url
        assert response.headers["Referrer-Policy"] == "no-referrer", url
        assert response.headers.get_all("Referrer-Policy") == ["no-referrer"]
        assert "Content-Security-Policy" in response.headers


def bare_404(response) -> str:
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Async standups" not in page and "Sign in" not in page
    return page


def test_expired_revoked_and_unknown_links_are_a_bare_404(client, shared, app):
    team, token = shared
    bare_404(client.get("/share/not-a-token"))
    with app.app_context():
        link = db.session.execute(db.select(ShareLink)).scalar_one()
        link.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    bare_404(client.get(f"/share/{token}"))
    with app.app_context():
        link = db.session.execute(db.select(ShareLink)).scalar_one()
        link.expires_at = utcnow() + timedelta(days=1)
        db.session.commit()
    assert client.get(f"/share/{token}").status_code == 200
    headers = api_headers(client, "editor@example.com")
    client.delete(f"/api/v1/posts/{team.post_id}/share", headers=headers)
    bare_404(client.get(f"/share/{token}"))
    response = client.post(f"/share/{token}/comments", json={"name": "Ann", "body": "Hi"})
    assert response.status_code == 404


def test_a_guest_comments_through_the_form(client, shared, app):
    team, token = shared
    page = client.get(f"/share/{token}")
    response = client.post(
        f"/share/{token}/comments",
        data={
            "csrf_token": csrf_token_from(page),
            "name": "Carla Client",
            "body": "Lovely, but shorter?",
            "quote": "meet less often",
        },
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Carla Client" in page and "Lovely, but shorter?" in page
    members = api_headers(client, "viewer@example.com")
    listed = client.get(f"/api/v1/posts/{team.post_id}/comments", headers=members).get_json()
    (made,) = listed["comments"]
    assert (made["author"], made["guest_name"], made["quote"]) == (
        None,
        "Carla Client",
        "meet less often",
    )


def test_the_form_needs_its_csrf_token(client, shared):
    _, token = shared
    response = client.post(f"/share/{token}/comments", data={"name": "A", "body": "B"})
    assert response.status_code == 400


def test_a_guest_comments_as_json_without_a_session(client, shared):
    _, token = shared
    response = client.post(f"/share/{token}/comments", json={"name": "Api Guest", "body": "Ok"})
    assert response.status_code == 201
    made = response.get_json()
    assert made["author"] is None and made["guest_name"] == "Api Guest"
    bad = client.post(f"/share/{token}/comments", json={"name": "x" * 81, "body": "Ok"})
    assert bad.status_code == 400
    assert bad.get_json()["detail"]["code"] == "VALIDATION_ERROR"
    missing = client.post(
        f"/share/{token}/comments", json={"name": "A", "body": "B", "quote": "nope"}
    )
    assert missing.get_json()["detail"]["code"] == "QUOTE_NOT_FOUND"


def test_guests_comment_5_times_a_minute_per_address(client, shared):
    _, token = shared
    for n in range(5):
        response = client.post(f"/share/{token}/comments", json={"name": "G", "body": f"#{n}"})
        assert response.status_code == 201, n
    response = client.post(f"/share/{token}/comments", json={"name": "G", "body": "one more"})
    assert response.status_code == 429
    assert response.get_json()["detail"]["code"] == "RATE_LIMIT_EXCEEDED"
    assert int(response.headers["Retry-After"]) > 0
    form = client.post(f"/share/{token}/comments", data={"name": "G", "body": "by form"})
    assert form.status_code == 429  # the limit is per address, whatever the format


def test_script_in_a_guest_name_or_body_renders_escaped(client, shared):
    _, token = shared
    script = "<script>alert('x')</script>"
    client.post(f"/share/{token}/comments", json={"name": script[:80], "body": f"{script}<b>b</b>"})
    page = client.get(f"/share/{token}").get_data(as_text=True)
    assert script not in page and "<b>b</b>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page


def test_a_link_without_guest_comments_shows_no_form_and_takes_none(client, app):
    team = team_post(app)
    headers = api_headers(client, "editor@example.com")
    token = client.post(f"/api/v1/posts/{team.post_id}/share", headers=headers).get_json()["token"]
    page = client.get(f"/share/{token}").get_data(as_text=True)
    assert "comment-form" not in page
    response = client.post(f"/share/{token}/comments", json={"name": "G", "body": "Hi"})
    assert response.status_code == 404


def test_a_shared_linkedin_post_is_plain_text_under_its_topic(client, app):
    """The guest reads what the team reads: the topic, not a blog title, in the tab too."""
    team = team_post(app)
    with app.app_context():
        project = db.session.get(Post, team.post_id).project
        editor = User.query.filter_by(email="editor@example.com").one()
    post_id = make_channel_post(app, editor, project, "linkedin")
    headers = api_headers(client, "editor@example.com")
    token = client.post(f"/api/v1/posts/{post_id}/share", headers=headers).get_json()["token"]
    page = client.get(f"/share/{token}").get_data(as_text=True)
    assert f"<title>{TOPIC}</title>" in page
    assert TITLE not in page and "**" not in page
