"""A post's revisions through the API: the generated draft is revision 1, each content
change adds one; any two compare as a unified diff; any can be restored as a new one."""

from __future__ import annotations

import pytest

from ..review_factories import BLOG_MARKDOWN, make_reviewable_post
from ..voice_helpers import person

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def writer(app):
    user, headers = person(app, "writer@example.com", plan="pro")
    from ..factories import make_project

    project = make_project(app, user)
    post_id = make_reviewable_post(app, user, project)
    return user, headers, post_id


def edit(client, headers, post_id, version, markdown):
    response = client.patch(
        f"/api/v1/posts/{post_id}",
        headers=headers,
        json={"item_version": version, "content": {"markdown": markdown}},
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def revisions_of(client, headers, post_id):
    response = client.get(f"/api/v1/posts/{post_id}/revisions", headers=headers)
    assert response.status_code == 200
    return response.get_json()


def test_each_content_change_is_a_revision_newest_first(app, client, writer):
    user, headers, post_id = writer
    edit(client, headers, post_id, 1, BLOG_MARKDOWN.replace("two weeks", "a month"))
    edit(client, headers, post_id, 2, BLOG_MARKDOWN + "\nOne more line.\n")
    listed = revisions_of(client, headers, post_id)
    assert listed["total"] == 3
    versions = [r["item_version"] for r in listed["revisions"]]
    assert versions == [3, 2, 1]
    newest, middle, first = listed["revisions"]
    assert first["author"] is None and first["summary"] == "Generated draft"
    assert middle["author"] == {"id": user.id, "name": "Writer"}
    assert middle["summary"] == "Edited the conclusion (same length)"
    assert newest["summary"] == "Edited the conclusion (+3 words)"
    assert newest["word_count"] == first["word_count"] + 3
    assert set(first) == {"id", "item_version", "author", "summary", "word_count", "created_at"}


def test_a_revision_holds_its_content_and_any_two_compare(app, client, writer):
    _, headers, post_id = writer
    edit(client, headers, post_id, 1, BLOG_MARKDOWN.replace("two weeks", "a month"))
    first, second = reversed(revisions_of(client, headers, post_id)["revisions"])
    one = client.get(f"/api/v1/posts/{post_id}/revisions/{first['id']}", headers=headers)
    assert one.get_json()["content"]["markdown"] == BLOG_MARKDOWN
    diff = client.get(
        f"/api/v1/posts/{post_id}/revisions/{second['id']}/diff?against={first['id']}",
        headers=headers,
    ).get_json()["diff"]
    assert "--- revision 1\n+++ revision 2\n" in diff
    assert "\n-Try it for two weeks.\n+Try it for a month.\n" in diff


def test_restoring_a_revision_makes_a_new_one(app, client, writer):
    _, headers, post_id = writer
    edit(client, headers, post_id, 1, "# Rewritten\n\nNothing cited.\n")
    first = revisions_of(client, headers, post_id)["revisions"][-1]
    response = client.post(
        f"/api/v1/posts/{post_id}/revisions/{first['id']}/restore", headers=headers
    )
    assert response.status_code == 200, response.get_json()
    post = response.get_json()
    assert post["item_version"] == 3
    assert post["content"]["markdown"] == BLOG_MARKDOWN
    assert [c["n"] for c in post["content"]["citations"]] == [1, 2]
    newest = revisions_of(client, headers, post_id)["revisions"][0]
    assert (newest["item_version"], newest["summary"]) == (3, "Restored revision 1")


def test_a_restore_from_a_stale_version_is_refused(app, client, writer):
    _, headers, post_id = writer
    edit(client, headers, post_id, 1, "# Rewritten\n\nText.\n")
    first = revisions_of(client, headers, post_id)["revisions"][-1]
    response = client.post(
        f"/api/v1/posts/{post_id}/revisions/{first['id']}/restore",
        headers=headers,
        json={"item_version": 1},
    )
    assert response.status_code == 409
    assert response.get_json()["detail"]["current_version"] == 2


def test_a_revision_of_another_post_is_not_found(app, client, writer):
    user, headers, post_id = writer
    from ..factories import make_project

    other = make_reviewable_post(app, user, make_project(app, user, "Other"))
    theirs = revisions_of(client, headers, other)["revisions"][0]["id"]
    for path in (theirs, "nope", f"{theirs}/diff?against={theirs}"):
        response = client.get(f"/api/v1/posts/{post_id}/revisions/{path}", headers=headers)
        assert response.status_code == 404
        assert response.get_json()["detail"]["code"] == "REVISION_NOT_FOUND"


def test_a_stranger_sees_no_revisions(app, client, writer):
    _, _, post_id = writer
    _, stranger = person(app, "stranger@example.com")
    response = client.get(f"/api/v1/posts/{post_id}/revisions", headers=stranger)
    assert response.status_code == 404


def test_a_diff_without_against_compares_with_the_revision_before(app, client, writer):
    _, headers, post_id = writer
    edit(client, headers, post_id, 1, BLOG_MARKDOWN.replace("two weeks", "a month"))
    newest = revisions_of(client, headers, post_id)["revisions"][0]
    response = client.get(f"/api/v1/posts/{post_id}/revisions/{newest['id']}/diff", headers=headers)
    assert "--- revision 1\n+++ revision 2\n" in response.get_json()["diff"]
