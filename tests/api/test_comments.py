"""Comments API: on the post, on a passage, replies, who edits, resolves and deletes,
@mentions mailed, and what a comment never changes."""

from __future__ import annotations

import pytest

from ..review_helpers import api_headers, team_post

pytestmark = pytest.mark.usefixtures("db")

COMMENT_FIELDS = {
    "id",
    "post_id",
    "parent_id",
    "author",
    "guest_name",
    "body",
    "quote",
    "resolved",
    "outdated",
    "created_at",
    "updated_at",
}


@pytest.fixture
def team(app, client):
    world = team_post(app)
    world.h = {role: api_headers(client, f"{role}@example.com") for role in world.people}
    return world


def comment(client, team, role="reviewer", **body):
    return client.post(
        f"/api/v1/posts/{team.post_id}/comments",
        headers=team.h[role],
        json={"body": "Looks good.", **body},
    )


def listed(client, team, role="viewer"):
    response = client.get(f"/api/v1/posts/{team.post_id}/comments", headers=team.h[role])
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_comment_on_a_passage_is_the_issue_s_object_and_leaves_the_version(client, team):
    quote = "standups save about 20\n minutes"
    response = comment(client, team, body="Source for this?", quote=quote)
    assert response.status_code == 201, response.get_json()
    made = response.get_json()
    assert set(made) == COMMENT_FIELDS
    assert made["author"] == {"id": team.people["reviewer"].id, "name": "Rita Reviewer"}
    assert made["quote"] == quote  # kept as sent
    assert (made["post_id"], made["parent_id"], made["guest_name"]) == (team.post_id, None, None)
    assert made["resolved"] is made["outdated"] is False
    post = client.get(f"/api/v1/posts/{team.post_id}", headers=team.h["owner"]).get_json()
    assert post["item_version"] == 1
    assert listed(client, team) == {"comments": [made], "total": 1}


def test_a_quote_not_in_the_post_is_refused(client, team):
    response = comment(client, team, quote="words nobody wrote")
    assert response.status_code == 400
    assert response.get_json()["detail"]["code"] == "QUOTE_NOT_FOUND"
    assert listed(client, team)["total"] == 0


def test_bodies_are_checked(client, team):
    assert comment(client, team, body="   ").status_code == 400
    too_long = comment(client, team, body="x" * 10_001)
    assert too_long.status_code == 400
    assert too_long.get_json()["detail"]["code"] == "VALIDATION_ERROR"
    assert comment(client, team, body="x" * 10_000).status_code == 201


def test_viewers_read_but_cannot_comment(client, team):
    comment(client, team)
    response = comment(client, team, role="viewer")
    assert response.status_code == 403
    assert response.get_json()["detail"]["code"] == "INSUFFICIENT_ROLE"
    assert listed(client, team, "viewer")["total"] == 1


def test_strangers_learn_nothing(client, team, auth):
    stranger = auth.headers("stranger@example.com")
    assert client.get(f"/api/v1/posts/{team.post_id}/comments", headers=stranger).status_code == 404
    made = comment(client, team).get_json()
    response = client.patch(
        f"/api/v1/comments/{made['id']}", headers=stranger, json={"resolved": True}
    )
    assert response.status_code == 404
    assert response.get_json()["detail"]["code"] == "COMMENT_NOT_FOUND"
    assert client.delete(f"/api/v1/comments/{made['id']}", headers=stranger).status_code == 404


def test_replies_join_the_thread_and_the_list_is_oldest_first(client, team):
    first = comment(client, team, body="First").get_json()
    reply = comment(client, team, role="editor", body="Reply", parent_id=first["id"]).get_json()
    assert reply["parent_id"] == first["id"]
    # A reply to a reply attaches to the thread's first comment.
    nested = comment(client, team, body="Again", parent_id=reply["id"]).get_json()
    assert nested["parent_id"] == first["id"]
    assert [c["body"] for c in listed(client, team)["comments"]] == ["First", "Reply", "Again"]


def test_a_reply_to_a_comment_of_another_post_is_refused(client, team, app):
    from ..factories import make_completed_post

    other = make_completed_post(app, team.people["owner"], team.project, {"markdown": "# Other\n"})
    elsewhere = client.post(
        f"/api/v1/posts/{other}/comments", headers=team.h["editor"], json={"body": "Hi"}
    ).get_json()
    response = comment(client, team, parent_id=elsewhere["id"])
    assert response.status_code == 404
    assert response.get_json()["detail"]["code"] == "COMMENT_NOT_FOUND"


def test_only_the_author_edits_the_body(client, team):
    made = comment(client, team, body="Tpyo").get_json()
    url = f"/api/v1/comments/{made['id']}"
    for role in ("owner", "editor"):
        response = client.patch(url, headers=team.h[role], json={"body": "Hijacked"})
        assert response.status_code == 403, role
        assert response.get_json()["detail"]["code"] == "FORBIDDEN"
    viewer = client.patch(url, headers=team.h["viewer"], json={"body": "Hijacked"})
    assert viewer.status_code == 403
    response = client.patch(url, headers=team.h["reviewer"], json={"body": "Typo"})
    assert response.status_code == 200
    assert response.get_json()["body"] == "Typo"
    assert listed(client, team)["comments"][0]["body"] == "Typo"


def test_editors_and_up_and_reviewers_resolve_and_reopen_viewers_do_not(client, team):
    made = comment(client, team, role="editor").get_json()
    url = f"/api/v1/comments/{made['id']}"
    refused = client.patch(url, headers=team.h["viewer"], json={"resolved": True})
    assert refused.status_code == 403
    assert refused.get_json()["detail"]["code"] == "INSUFFICIENT_ROLE"
    for role, resolved in (("editor", True), ("owner", False), ("reviewer", True)):
        response = client.patch(url, headers=team.h[role], json={"resolved": resolved})
        assert response.status_code == 200, (role, response.get_json())
        assert response.get_json()["resolved"] is resolved
    post = client.get(f"/api/v1/posts/{team.post_id}", headers=team.h["owner"]).get_json()
    assert post["item_version"] == 1


def test_editors_and_up_delete_a_comment_with_its_replies(client, team):
    first = comment(client, team).get_json()
    comment(client, team, body="Reply", parent_id=first["id"])
    url = f"/api/v1/comments/{first['id']}"
    for role in ("viewer", "reviewer"):
        response = client.delete(url, headers=team.h[role])
        assert response.status_code == 403, role
        assert response.get_json()["detail"]["code"] == "INSUFFICIENT_ROLE"
    response = client.delete(url, headers=team.h["editor"])
    assert response.status_code == 204 and response.data == b""
    assert listed(client, team) == {"comments": [], "total": 0}
    assert client.delete(url, headers=team.h["editor"]).status_code == 404


def test_mentions_mail_the_members_named_who_keep_mention_mail_on(
    client, team, app, outbox, held_mail
):
    from webapp.extensions import db
    from webapp.models import User

    with app.app_context():
        db.session.get(User, team.people["viewer"].id).notify_mentions = False
        db.session.commit()
    body = (
        "@Eddie Editor and @owner@example.com, see this; @Vic Viewer too; @Nobody; @Rita Reviewer"
    )
    assert comment(client, team, body=body).status_code == 201
    sent = outbox.send_here()
    recipients = sorted(str(message["To"]) for message in sent)
    # Not the viewer (mention mail off), not the author herself, nobody unknown.
    assert recipients == ["editor@example.com", "owner@example.com"]
    message = sent[0]
    assert "Rita Reviewer mentioned you" in str(message["Subject"])
    assert f"/posts/{team.post_id}" in message.get_content()


def test_an_edited_body_mails_only_the_newly_mentioned(client, team, outbox, held_mail):
    made = comment(client, team, body="@Eddie Editor look").get_json()
    client.patch(
        f"/api/v1/comments/{made['id']}",
        headers=team.h["reviewer"],
        json={"body": "@Eddie Editor look, @Olive Owner too"},
    )
    assert sorted(str(m["To"]) for m in outbox.send_here()) == [
        "editor@example.com",
        "owner@example.com",
    ]


def test_markup_in_a_body_is_kept_as_text(client, team):
    body = "<script>alert(1)</script> **bold**"
    assert comment(client, team, body=body).get_json()["body"] == body
