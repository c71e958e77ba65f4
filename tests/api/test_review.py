"""The review API: POST /posts/{id}/submit, PUT /posts/{id}/approve (reference 000's
body as is), POST /posts/{id}/request-changes, each answering the full post; a stale
approval, a content change after one, roles, refused steps, the review_status filter and
the project's approval_required."""

from __future__ import annotations

import pytest

from ..approval_helpers import MARKDOWN, make_review_team, set_post
from ..workspace_helpers import bearer

pytestmark = pytest.mark.usefixtures("db", "held_mail")


@pytest.fixture
def world(app):
    world = make_review_team(app)
    for role in ("owner", "admin", "editor", "reviewer", "viewer"):
        setattr(world, f"{role}_headers", bearer(app, getattr(world, role).email))
    return world


def submit(client, world, role="editor", **kwargs):
    headers = getattr(world, f"{role}_headers")
    return client.post(f"/api/v1/posts/{world.post_id}/submit", headers=headers, **kwargs)


def approve(client, world, role="reviewer", body=None):
    headers = getattr(world, f"{role}_headers")
    kwargs = {} if body is None else {"json": body}
    return client.put(f"/api/v1/posts/{world.post_id}/approve", headers=headers, **kwargs)


def request_changes(client, world, role="reviewer", comment="Shorter, please."):
    return client.post(
        f"/api/v1/posts/{world.post_id}/request-changes",
        headers=getattr(world, f"{role}_headers"),
        json={"comment": comment},
    )


def error_code(response) -> str:
    return response.get_json()["detail"]["code"]


def test_submit_approve_and_request_changes_answer_the_full_post(client, world):
    response = submit(client, world)  # no body at all
    assert response.status_code == 200, response.get_json()
    post = response.get_json()
    assert post["id"] == world.post_id and post["review_status"] == "in_review"
    assert post["item_version"] == 1 and post["content"]["title"] == "Async standups"
    assert post["approved_version"] is None and post["approved_by"] is None

    # Reference 000's documented body works as it is.
    response = approve(client, world, body={"channels": ["twitter", "linkedin"]})
    assert response.status_code == 200, response.get_json()
    post = response.get_json()
    assert post["review_status"] == "approved" and post["item_version"] == 1
    assert post["approved_version"] == 1 and post["approved_by"] == world.reviewer.id
    assert post["approved_at"].endswith("Z")

    response = request_changes(client, world, comment="The intro is too long.")
    assert response.status_code == 200, response.get_json()
    post = response.get_json()
    assert post["review_status"] == "changes_requested" and post["item_version"] == 1
    assert post["approved_version"] == 1  # the record of the last approval stays

    assert submit(client, world).get_json()["review_status"] == "in_review"


def test_approve_takes_no_body_an_empty_one_or_the_current_version(client, world):
    submit(client, world)
    assert approve(client, world, body={"item_version": 1}).status_code == 200
    request_changes(client, world)
    submit(client, world)
    assert approve(client, world, body={}).status_code == 200
    request_changes(client, world)
    submit(client, world)
    assert approve(client, world).status_code == 200


def test_approving_a_stale_version_is_a_conflict_with_the_current_one(client, world):
    submit(client, world)
    set_post(client.application, world.post_id, item_version=3)
    response = approve(client, world, body={"item_version": 2})
    assert response.status_code == 409
    detail = response.get_json()["detail"]
    assert detail["code"] == "VERSION_CONFLICT" and detail["current_version"] == 3
    post = client.get(f"/api/v1/posts/{world.post_id}", headers=world.reviewer_headers)
    assert post.get_json()["review_status"] == "in_review"
    assert post.get_json()["approved_version"] is None


def test_an_edit_after_approval_returns_the_post_to_draft_and_keeps_the_record(client, world):
    submit(client, world)
    approved = approve(client, world, body={"item_version": 1}).get_json()
    response = client.patch(
        f"/api/v1/posts/{world.post_id}",
        headers=world.editor_headers,
        json={"item_version": 1, "content": {"markdown": MARKDOWN + "\nOne more line.\n"}},
    )
    assert response.status_code == 200, response.get_json()
    post = response.get_json()
    assert post["review_status"] == "draft" and post["item_version"] == 2
    assert post["approved_version"] == 1 and post["approved_by"] == world.reviewer.id
    assert post["approved_at"] == approved["approved_at"]
    # Approving the reviewer's old view of it is refused; the new version, once submitted, is not.
    submit(client, world)
    assert approve(client, world, body={"item_version": 1}).status_code == 409
    assert approve(client, world, body={"item_version": 2}).get_json()["approved_version"] == 2


@pytest.mark.parametrize(
    ("step", "allowed"),
    [
        ("submit", {"owner", "admin", "editor"}),
        ("approve", {"owner", "admin", "reviewer"}),
        ("request_changes", {"owner", "admin", "reviewer"}),
    ],
)
def test_each_step_needs_its_role(client, world, step, allowed):
    start = "draft" if step == "submit" else "in_review"
    call = {"submit": submit, "approve": approve, "request_changes": request_changes}[step]
    for role in ("viewer", "reviewer", "editor", "admin", "owner"):
        set_post(client.application, world.post_id, review_status=start)
        response = call(client, world, role=role)
        if role in allowed:
            assert response.status_code == 200, (role, response.get_json())
        else:
            assert response.status_code == 403, role
            assert error_code(response) == "INSUFFICIENT_ROLE"


def test_a_stranger_gets_not_found(client, world, app):
    headers = bearer(app, "stranger@example.com")
    response = client.post(f"/api/v1/posts/{world.post_id}/submit", headers=headers)
    assert response.status_code == 404 and error_code(response) == "POST_NOT_FOUND"
    response = client.put("/api/v1/posts/0123456789abcdef01234567/approve", headers=headers)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("start", "step"),
    [
        ("draft", "approve"),
        ("draft", "request_changes"),
        ("in_review", "submit"),
        ("approved", "submit"),
        ("approved", "approve"),
        ("changes_requested", "approve"),
        ("changes_requested", "request_changes"),
        ("published", "submit"),
        ("published", "approve"),
        ("published", "request_changes"),
    ],
)
def test_a_step_the_state_does_not_allow_is_invalid_state(client, world, start, step):
    set_post(client.application, world.post_id, review_status=start)
    call = {"submit": submit, "approve": approve, "request_changes": request_changes}[step]
    response = call(client, world, role="owner")
    assert response.status_code == 400
    detail = response.get_json()["detail"]
    assert detail["code"] == "INVALID_STATE" and detail["review_status"] == start
    assert f"The post is {start}" in detail["message"]


def test_a_post_still_generating_takes_no_review_step(client, world):
    set_post(client.application, world.post_id, status="generating")
    response = submit(client, world)
    assert response.status_code == 400 and error_code(response) == "INVALID_STATE"


@pytest.mark.parametrize(
    "body",
    [{}, {"comment": ""}, {"comment": "   "}, {"comment": "x" * 10_001}, {"comment": 3}],
)
def test_request_changes_needs_a_comment(client, world, body):
    submit(client, world)
    response = client.post(
        f"/api/v1/posts/{world.post_id}/request-changes",
        headers=world.reviewer_headers,
        json=body,
    )
    assert response.status_code == 400 and error_code(response) == "VALIDATION_ERROR"


@pytest.mark.parametrize(
    "body",
    [{"item_version": 0}, {"item_version": "one"}, {"channels": ["fax"]}, {"other": 1}],
)
def test_approve_validates_its_body(client, world, body):
    submit(client, world)
    response = approve(client, world, body=body)
    assert response.status_code == 400 and error_code(response) == "VALIDATION_ERROR"


def test_the_list_filters_by_review_status(client, world, app):
    from ..approval_helpers import CONTENT
    from ..factories import make_completed_post

    other = make_completed_post(app, world.editor, world.project, CONTENT, topic="Other")
    submit(client, world)
    url = f"/api/v1/posts/projects/{world.project.id}/posts"
    headers = world.viewer_headers

    def ids(query):
        body = client.get(f"{url}?{query}", headers=headers).get_json()
        assert body["total"] == len(body["posts"])
        return {p["id"]: p["review_status"] for p in body["posts"]}

    assert ids("review_status=in_review") == {world.post_id: "in_review"}
    assert ids("review_status=draft") == {other: "draft"}
    assert ids("review_status=approved&status=completed") == {}
    assert ids("status=completed") == {world.post_id: "in_review", other: "draft"}
    response = client.get(f"{url}?review_status=lost", headers=headers)
    assert response.status_code == 400 and error_code(response) == "VALIDATION_ERROR"


def test_approval_required_is_in_the_project_and_set_by_editors(client, world):
    url = f"/api/v1/projects/{world.project.id}"
    project = client.get(url, headers=world.viewer_headers).get_json()
    assert project["approval_required"] is False
    listed = client.get("/api/v1/projects", headers=world.viewer_headers).get_json()
    assert [p["approval_required"] for p in listed["projects"]] == [False]

    response = client.patch(url, headers=world.editor_headers, json={"approval_required": True})
    assert response.status_code == 200 and response.get_json()["approval_required"] is True
    assert client.get(url, headers=world.viewer_headers).get_json()["approval_required"] is True
    listed = client.get("/api/v1/projects", headers=world.viewer_headers).get_json()
    assert [p["approval_required"] for p in listed["projects"]] == [True]
    # A PUT of the name alone leaves it as it is.
    response = client.put(url, headers=world.admin_headers, json={"name": "Launch 2"})
    assert response.get_json()["approval_required"] is True

    for role in ("viewer", "reviewer"):
        response = client.patch(
            url, headers=getattr(world, f"{role}_headers"), json={"approval_required": False}
        )
        assert response.status_code == 403 and error_code(response) == "INSUFFICIENT_ROLE"
    for wrong in ("maybe", 0, "false", None):
        response = client.put(url, headers=world.owner_headers, json={"approval_required": wrong})
        assert response.status_code == (400 if wrong is not None else 200), wrong
    assert client.get(url, headers=world.viewer_headers).get_json()["approval_required"] is True


def test_users_me_shows_and_turns_review_and_mention_mail_off(client, world):
    headers = world.reviewer_headers
    me = client.get("/api/v1/users/me", headers=headers).get_json()
    assert (me["notify_review"], me["notify_mentions"]) == (True, True)
    response = client.patch("/api/v1/users/me", headers=headers, json={"notify_review": False})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["name"], body["notify_review"], body["notify_mentions"]) == ("Rita", False, True)
    response = client.patch(
        "/api/v1/users/me", headers=headers, json={"name": "Rita R", "notify_mentions": False}
    )
    assert (response.get_json()["name"], response.get_json()["notify_mentions"]) == (
        "Rita R",
        False,
    )
    me = client.get("/api/v1/users/me", headers=headers).get_json()
    assert (me["notify_review"], me["notify_mentions"]) == (False, False)
    for wrong in ("maybe", 0, "no"):
        response = client.patch("/api/v1/users/me", headers=headers, json={"notify_review": wrong})
        assert response.status_code == 400, wrong
