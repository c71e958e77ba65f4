"""DELETE /users/me: the account goes, confirmed with its password. An owner of a workspace
other people share must transfer it first (409 TRANSFER_OWNERSHIP_FIRST); otherwise the
account's own workspaces go with everything in them (stored files included), while what it
made in other people's workspaces stays, credited to each workspace's owner. Every
session, token and key of the account stops working."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from webapp.extensions import db
from webapp.models import ActivityEvent, Job, Membership, Project, User, Workspace
from webapp.services import (
    account_deletion,
    accounts,
    api_keys,
    generation_jobs,
    links,
    posts,
    sources,
)
from webapp.services.storage import get_storage
from webapp.vocabulary import KeyMode

from ..conftest import TEST_KEY_PREFIX
from ..factories import DEFAULT_PASSWORD, make_project, make_user
from ..team_factories import make_team, make_team_project


@pytest.fixture
def idle_queue(app, monkeypatch):
    """Jobs go to a queue of this test run that no worker listens to; tests run them here."""
    monkeypatch.setitem(app.config, "REDIS_KEY_PREFIX", f"{TEST_KEY_PREFIX}-idle")


def login(client, person) -> dict:
    response = client.post(
        "/api/v1/auth/login", json={"email": person.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def bearer(tokens) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def delete_me(client, headers, password=DEFAULT_PASSWORD):
    return client.delete("/api/v1/users/me", headers=headers, json={"password": password})


def fill(app, person, project) -> SimpleNamespace:
    """An uploaded source (a stored file), a generated post, a link and their jobs, made by
    `person` in `project`, as ids."""
    with app.app_context():
        user = accounts.get_user(person.id)
        source = sources.add_upload(
            user, db.session.get(Project, project.id), "notes.txt", io.BytesIO(b"Some notes.")
        )
        job = posts.request_generation(
            user, project_id=project.id, topic=f"Post in {project.name}", voice="casual"
        )
        generation_jobs.run_generation(job.id)
        link = links.create_link(
            user, db.session.get(Project, project.id), "https://example.com/guide", ["guide"]
        )
        return SimpleNamespace(
            source=source.id,
            storage_key=source.storage_key,
            post=generation_jobs.post_of(job.id).id,
            link=link.id,
            job=job.id,
        )


@pytest.fixture
def ann(app, client):
    return make_user(app, email="ann@example.com", name="Ann", plan="pro")


@pytest.fixture
def ben(app, client):
    return make_user(app, email="ben@example.com", name="Ben", plan="pro")


def test_an_owner_of_a_shared_workspace_must_transfer_it_first(app, client, ann, ben):
    team = make_team(app, ann, name="Marketing", editor=ben)
    make_team(app, ann, name="Alone")  # owned, but nobody else in it: no obstacle
    project = make_team_project(app, ann, team)
    headers = bearer(login(client, ann))

    response = delete_me(client, headers)

    assert response.status_code == 409
    detail = response.get_json()["detail"]
    assert detail["code"] == "TRANSFER_OWNERSHIP_FIRST"
    assert "transfer" in detail["message"].lower()
    assert detail["workspaces"] == [{"id": team.id, "name": "Marketing"}]
    # Nothing went.
    assert client.get("/api/v1/users/me", headers=headers).status_code == 200
    assert (
        client.get(f"/api/v1/projects/{project.id}", headers=bearer(login(client, ben))).status_code
        == 200
    )


def test_a_wrong_password_deletes_nothing(app, client, ann):
    headers = bearer(login(client, ann))

    wrong = delete_me(client, headers, password="Not-the-password1!")
    assert wrong.status_code == 400
    detail = wrong.get_json()["detail"]
    assert detail["code"] == "INVALID_CREDENTIALS"
    assert [e["loc"] for e in detail["errors"]] == [["body", "password"]]

    missing = client.delete("/api/v1/users/me", headers=headers, json={})
    assert missing.status_code == 400
    assert missing.get_json()["detail"]["errors"][0]["loc"] == ["body", "password"]
    assert client.get("/api/v1/users/me", headers=headers).status_code == 200


def test_a_test_key_cannot_delete_the_account(app, client, ann):
    with app.app_context():
        _, secret = api_keys.create_api_key(accounts.get_user(ann.id), "CI", KeyMode.TEST)
    response = delete_me(client, {"X-API-Key": secret})
    assert response.status_code == 403
    assert response.get_json()["detail"]["code"] == "LIVE_KEY_REQUIRED"


def test_a_member_leaves_and_the_team_keeps_their_work(app, client, ann, ben, idle_queue):
    team = make_team(app, ann, name="Marketing", editor=ben)
    shared = make_team_project(app, ben, team, "Launch")  # Ben made it
    ben_in_team = fill(app, ben, shared)
    personal = make_project(app, ben, "Ben's notes")
    ben_alone = fill(app, ben, personal)
    ben_solo_team = make_team(app, ben, name="Side project")
    solo_project = make_team_project(app, ben, ben_solo_team, "Side")
    with app.app_context():
        _, key = api_keys.create_api_key(accounts.get_user(ben.id), "CMS")
    ann_headers = bearer(login(client, ann))
    before = client.get(f"/api/v1/posts/{ben_in_team.post}", headers=ann_headers).get_json()
    tokens = login(client, ben)

    response = delete_me(client, bearer(tokens))

    assert response.status_code == 204 and response.data == b""
    # Ben is signed out everywhere, and cannot sign in again.
    assert client.get("/api/v1/users/me", headers=bearer(tokens)).status_code == 401
    assert (
        client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        ).status_code
        == 401
    )
    assert client.get("/api/v1/projects", headers={"X-API-Key": key}).status_code == 401
    assert (
        client.post(
            "/api/v1/auth/login", json={"email": ben.email, "password": DEFAULT_PASSWORD}
        ).status_code
        == 401
    )
    # Ann still sees the shared project whole, now credited to her.
    project = client.get(f"/api/v1/projects/{shared.id}", headers=ann_headers)
    assert project.status_code == 200 and project.get_json()["user_id"] == ann.id
    post = client.get(f"/api/v1/posts/{ben_in_team.post}", headers=ann_headers).get_json()
    assert post["content"] == before["content"] and post["user_id"] == ann.id
    listed = client.get(
        f"/api/v1/sources/projects/{shared.id}/sources", headers=ann_headers
    ).get_json()
    assert [s["id"] for s in listed["sources"]] == [ben_in_team.source]
    assert listed["sources"][0]["user_id"] == ann.id
    links_listed = client.get(
        f"/api/v1/links/projects/{shared.id}/opportunities", headers=ann_headers
    ).get_json()
    assert [link["id"] for link in links_listed["opportunities"]] == [ben_in_team.link]
    with app.app_context():
        assert get_storage().exists(ben_in_team.storage_key)
        assert db.session.get(Job, ben_in_team.job).user_id == ann.id
        # Ben's own workspaces went with everything in them, stored files included.
        assert db.session.get(User, ben.id) is None
        assert db.session.get(Workspace, ben_solo_team.id) is None
        assert (
            db.session.execute(db.select(Workspace).where(Workspace.owner_id == ben.id)).first()
            is None
        )
        for gone in (personal.id, solo_project.id):
            assert db.session.get(Project, gone) is None
        assert not get_storage().exists(ben_alone.storage_key)
        assert db.session.get(Job, ben_alone.job) is None
        assert (
            db.session.execute(db.select(Membership).where(Membership.user_id == ben.id)).first()
            is None
        )
        # The feed keeps what Ben did, without an actor.
        events = (
            db.session.execute(
                db.select(ActivityEvent).where(ActivityEvent.workspace_id == team.id)
            )
            .scalars()
            .all()
        )
        assert {e.action for e in events} >= {"project.created", "source.added", "post.generated"}
        assert all(e.actor_id is None for e in events)
    feed = client.get(f"/api/v1/workspaces/{team.id}/activity", headers=ann_headers).get_json()
    assert all(e["actor"] is None for e in feed["events"])
    assert 'Ben created project "Launch"' in [e["summary"] for e in feed["events"]]


def test_an_owner_alone_in_their_workspaces_deletes_them_all(app, client, ann, idle_queue):
    team = make_team(app, ann, name="Solo")
    in_team = fill(app, ann, make_team_project(app, ann, team, "Solo launch"))
    headers = bearer(login(client, ann))

    assert delete_me(client, headers).status_code == 204

    with app.app_context():
        assert db.session.get(Workspace, team.id) is None
        assert not get_storage().exists(in_team.storage_key)
        assert db.session.execute(db.select(db.func.count()).select_from(Project)).scalar() == 0


REFUSE_USER_DELETION = {
    "sqlite": [
        """CREATE TRIGGER refuse_user_deletion BEFORE DELETE ON users
           BEGIN SELECT RAISE(ABORT, 'deletion refused'); END"""
    ],
    "postgresql": [
        """CREATE FUNCTION refuse_user_deletion() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'deletion refused'; END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER refuse_user_deletion BEFORE DELETE ON users FOR EACH ROW
           EXECUTE FUNCTION refuse_user_deletion()""",
    ],
}
ALLOW_USER_DELETION = {
    "sqlite": ["DROP TRIGGER IF EXISTS refuse_user_deletion"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS refuse_user_deletion ON users",
        "DROP FUNCTION IF EXISTS refuse_user_deletion()",
    ],
}


@pytest.fixture
def user_deletion_refused(app):
    """While active, the database refuses to delete any account (the last step)."""
    with app.app_context():
        dialect = db.engine.dialect.name
        with db.engine.begin() as connection:
            for statement in REFUSE_USER_DELETION[dialect]:
                connection.execute(text(statement))
    yield
    with app.app_context(), db.engine.begin() as connection:
        for statement in ALLOW_USER_DELETION[dialect]:
            connection.execute(text(statement))


def test_a_deletion_that_fails_at_the_last_step_keeps_everything(
    app, ann, idle_queue, user_deletion_refused
):
    """One transaction: the account, its workspaces, projects and files all stay."""
    team = make_team(app, ann, name="Solo")
    project = make_team_project(app, ann, team, "Solo launch")
    in_team = fill(app, ann, project)
    with app.app_context(), pytest.raises(Exception, match="deletion refused"):
        account_deletion.delete_account(db.session.get(User, ann.id), DEFAULT_PASSWORD)
    with app.app_context():
        assert db.session.get(User, ann.id) is not None
        assert db.session.get(Workspace, team.id) is not None
        assert db.session.get(Project, project.id) is not None
        assert get_storage().exists(in_team.storage_key)
