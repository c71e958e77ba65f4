"""Comments through content changes: a comment whose quote an edit removes is kept,
flagged outdated and listed first; a quote that comes back clears the flag; comments and
their changes never move the post's version. Mentions resolve to workspace members."""

from __future__ import annotations

import pytest

from webapp.extensions import db
from webapp.models import Post, User, Workspace
from webapp.services.review import comments

from ..review_helpers import MARKDOWN, api_headers, team_post

pytestmark = pytest.mark.usefixtures("db")


def edit(client, headers, post_id, markdown):
    post = client.get(f"/api/v1/posts/{post_id}", headers=headers).get_json()
    response = client.patch(
        f"/api/v1/posts/{post_id}",
        headers=headers,
        json={"item_version": post["item_version"], "content": {"markdown": markdown}},
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_an_edit_flags_comments_whose_quote_went_and_lists_them_first(client, app):
    team = team_post(app)
    headers = api_headers(client, "editor@example.com")
    url = f"/api/v1/posts/{team.post_id}/comments"
    on_post = client.post(url, headers=headers, json={"body": "General"}).get_json()
    kept = client.post(
        url, headers=headers, json={"body": "Kept", "quote": "meet less often"}
    ).get_json()
    gone = client.post(
        url, headers=headers, json={"body": "Gone", "quote": "about 20 minutes a day"}
    ).get_json()
    assert (
        edit(client, headers, team.post_id, MARKDOWN.replace("about 20", "some"))["item_version"]
        == 2
    )

    listed = client.get(url, headers=headers).get_json()["comments"]
    assert [c["id"] for c in listed] == [gone["id"], on_post["id"], kept["id"]]
    assert [c["outdated"] for c in listed] == [True, False, False]
    assert listed[0]["quote"] == "about 20 minutes a day"  # kept as it was

    edit(client, headers, team.post_id, MARKDOWN)  # the passage is back
    listed = client.get(url, headers=headers).get_json()["comments"]
    assert not any(c["outdated"] for c in listed)


def test_comment_changes_leave_the_version_alone(client, app):
    team = team_post(app)
    headers = api_headers(client, "editor@example.com")
    made = client.post(
        f"/api/v1/posts/{team.post_id}/comments", headers=headers, json={"body": "Hi"}
    ).get_json()
    client.patch(f"/api/v1/comments/{made['id']}", headers=headers, json={"resolved": True})
    client.delete(f"/api/v1/comments/{made['id']}", headers=headers)
    with app.app_context():
        post = db.session.get(Post, team.post_id)
        assert (post.item_version, post.review_status) == (1, "draft")


def test_mentions_are_members_by_name_or_address_and_not_the_author(app):
    team = team_post(app)
    with app.app_context():
        workspace = db.session.get(Workspace, team.workspace.id)
        found = comments.mentioned_members(
            workspace,
            "@eddie editor, @VIEWER@example.com and @Rita Reviewers, @Olive Owner",
            author=db.session.get(User, team.people["owner"].id),
        )
        # Not "Rita Reviewers" (another word), not the author herself.
        assert sorted(u.email for u in found) == ["editor@example.com", "viewer@example.com"]
        assert comments.mentioned_members(workspace, "no handles here") == []
