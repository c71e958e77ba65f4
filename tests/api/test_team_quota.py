"""A workspace runs on its owner's plan: members' posts count against the owner's quota
and concurrency, pooled across every workspace the owner has; a member's own quota
(`GET /users/me`) is their own plan's."""

from __future__ import annotations

from webapp.extensions import db
from webapp.models import Post
from webapp.models.usage import QuotaReservation
from webapp.services import plans

from ..factories import add_member, make_project, make_team_project, make_user, make_workspace


def generate(client, headers, project_id, topic="Remote work"):
    return client.post(
        "/api/v1/posts/generate",
        headers=headers,
        json={"project_id": project_id, "topic": topic, "voice": "professional"},
    )


def team(app, auth, owner_plan="free", member_plan="pro"):
    owner = make_user(app, email="owner@example.com", plan=owner_plan)
    member = make_user(app, email="member@example.com", plan=member_plan)
    workspace = make_workspace(app, owner)
    add_member(app, workspace, member, "editor")
    project = make_team_project(app, workspace, owner)
    return owner, member, project, auth.headers(email="member@example.com")


def test_a_members_post_is_reserved_on_the_owners_plan(app, client, auth):
    owner, member, project, headers = team(app, auth)
    response = generate(client, headers, project.id)
    assert response.status_code == 202
    with app.app_context():
        post = db.session.execute(db.select(Post)).scalar_one()
        assert post.user_id == member.id  # the creator
        reservation = db.session.execute(db.select(QuotaReservation)).scalar_one()
        assert reservation.holder_id == owner.id


def test_the_owners_used_up_quota_refuses_a_member_with_room_on_their_own_plan(app, client, auth):
    owner, member, project, headers = team(app, auth)
    with app.app_context():
        plans.add_posts_used(owner.id, 10)  # the free plan's month
        db.session.commit()
    refused = generate(client, headers, project.id)
    assert refused.status_code == 403
    assert refused.get_json()["detail"]["code"] == "QUOTA_EXCEEDED"
    # In their own workspace, their own (pro) plan applies.
    own = make_project(app, member, name="Mine")
    assert generate(client, headers, own.id).status_code == 202
    me = client.get("/api/v1/users/me", headers=headers).get_json()
    assert me["quota"]["posts_limit"] == 200


def test_concurrency_is_pooled_across_every_workspace_the_owner_has(app, client, auth):
    owner, _member, project, member_headers = team(app, auth)
    owner_headers = auth.headers(email="owner@example.com")
    personal = make_project(app, owner, name="Owner's own")
    assert generate(client, owner_headers, personal.id).status_code == 202  # free: one at once
    busy = generate(client, member_headers, project.id, topic="Another topic")
    assert busy.status_code == 429
    assert busy.get_json()["detail"]["code"] == "CONCURRENT_LIMIT_EXCEEDED"
