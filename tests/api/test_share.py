"""Share links API: made by editors and up, one active per post, the token shown once
and only its hash kept, expiry bounds, revoking, and the approval rule."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest

from webapp.extensions import db
from webapp.models import Post, ShareLink

from ..review_helpers import api_headers, approve, require_approval, team_post

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def team(app, client):
    world = team_post(app)
    world.h = {role: api_headers(client, f"{role}@example.com") for role in world.people}
    return world


def share(client, team, role="editor", **body):
    return client.post(f"/api/v1/posts/{team.post_id}/share", headers=team.h[role], json=body)


def parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00")).replace(tzinfo=None)


def test_a_link_is_made_with_an_absolute_url_and_the_token_shown_once(client, team, app):
    response = share(client, team)
    assert response.status_code == 201, response.get_json()
    made = response.get_json()
    assert set(made) == {"url", "token", "expires_at", "allow_comments"}
    assert (
        made["url"] == f"{app.config['BASE_URL'] or 'http://127.0.0.1:8000'}/share/{made['token']}"
    )
    assert made["allow_comments"] is False
    days = parse(made["expires_at"]) - datetime.utcnow()
    assert timedelta(days=13, hours=23) < days <= timedelta(days=14)
    with app.app_context():
        stored = db.session.execute(db.select(ShareLink)).scalar_one()
        assert stored.token_hash == hashlib.sha256(made["token"].encode()).hexdigest()
        assert made["token"] not in stored.token_hash
    active = client.get(f"/api/v1/posts/{team.post_id}/share", headers=team.h["viewer"])
    assert active.status_code == 200
    assert "token" not in active.get_json() and "url" not in active.get_json()
    assert active.get_json()["expires_at"] == made["expires_at"]


def test_the_body_may_be_left_out_or_set_expiry_and_comments(client, team):
    bare = client.post(f"/api/v1/posts/{team.post_id}/share", headers=team.h["editor"])
    assert bare.status_code == 201
    made = share(client, team, expires_in_days=1, allow_comments=True).get_json()
    assert made["allow_comments"] is True
    assert parse(made["expires_at"]) - datetime.utcnow() <= timedelta(days=1)
    for days in (0, 91, "x"):
        response = share(client, team, expires_in_days=days)
        assert response.status_code == 400, days
        assert response.get_json()["detail"]["code"] == "VALIDATION_ERROR"


def test_a_new_link_replaces_the_old_one(client, team):
    first = share(client, team).get_json()
    second = share(client, team, allow_comments=True).get_json()
    assert first["token"] != second["token"]
    assert client.get(f"/share/{first['token']}").status_code == 404
    assert client.get(f"/share/{second['token']}").status_code == 200
    active = client.get(f"/api/v1/posts/{team.post_id}/share", headers=team.h["editor"])
    assert active.get_json()["allow_comments"] is True


def test_revoking_ends_the_link(client, team):
    made = share(client, team).get_json()
    url = f"/api/v1/posts/{team.post_id}/share"
    assert client.delete(url, headers=team.h["reviewer"]).status_code == 403
    response = client.delete(url, headers=team.h["editor"])
    assert response.status_code == 204
    assert client.get(f"/share/{made['token']}").status_code == 404
    missing = client.get(url, headers=team.h["editor"])
    assert missing.status_code == 404
    assert missing.get_json()["detail"]["code"] == "SHARE_LINK_NOT_FOUND"
    assert client.delete(url, headers=team.h["editor"]).status_code == 404


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_readers_cannot_share(client, team, role):
    response = share(client, team, role=role)
    assert response.status_code == 403
    assert response.get_json()["detail"]["code"] == "INSUFFICIENT_ROLE"


def test_strangers_learn_nothing(client, team, auth):
    stranger = auth.headers("stranger@example.com")
    for method in ("get", "post", "delete"):
        response = getattr(client, method)(f"/api/v1/posts/{team.post_id}/share", headers=stranger)
        assert response.status_code == 404
        assert response.get_json()["detail"]["code"] == "POST_NOT_FOUND"


def test_a_post_not_completed_cannot_be_shared(client, team, app):
    with app.app_context():
        db.session.get(Post, team.post_id).status = "generating"
        db.session.commit()
    response = share(client, team)
    assert response.status_code == 400
    assert response.get_json()["detail"]["code"] == "INVALID_STATE"


def test_under_approval_required_only_a_post_approved_as_is_is_shared(client, team, app):
    require_approval(app, team.project.id)
    refused = share(client, team)
    assert refused.status_code == 409
    assert refused.get_json()["detail"]["code"] == "APPROVAL_REQUIRED"
    approve(app, team.post_id)
    made = share(client, team).get_json()
    assert client.get(f"/share/{made['token']}").status_code == 200
    # An edit after the approval: the link stops showing the post.
    post = client.get(f"/api/v1/posts/{team.post_id}", headers=team.h["editor"]).get_json()
    edited = client.patch(
        f"/api/v1/posts/{team.post_id}",
        headers=team.h["editor"],
        json={
            "item_version": post["item_version"],
            "content": {"markdown": "# New\n\nNew text.\n"},
        },
    )
    assert edited.status_code == 200, edited.get_json()
    assert client.get(f"/share/{made['token']}").status_code == 404


def test_a_retried_request_never_replays_the_token(client, team):
    headers = {**team.h["editor"], "Idempotency-Key": "share-once"}
    url = f"/api/v1/posts/{team.post_id}/share"
    assert client.post(url, headers=headers, json={}).status_code == 201
    again = client.post(url, headers=headers, json={})
    assert again.status_code == 409
    assert "token" not in again.get_json()
