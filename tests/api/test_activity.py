"""GET /workspaces/{id}/activity: who did what in a workspace, newest first, as any member
reads it; events recorded by the services as the work happens (projects, sources, posts),
filtered by action, paged; a non-member learns nothing (404)."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
import redis
from sqlalchemy import event

from webapp.errors import ServiceUnavailable
from webapp.extensions import db
from webapp.models import Project, Workspace
from webapp.services import accounts, activity, generation_jobs, posts, sources, workspaces
from webapp.vocabulary import Activity

from ..conftest import TEST_KEY_PREFIX
from ..factories import DEFAULT_PASSWORD, make_user
from ..team_factories import make_team, make_team_project


@pytest.fixture
def idle_queue(app, monkeypatch):
    """Jobs go to a queue of this test run that no worker listens to; tests run them here."""
    monkeypatch.setitem(app.config, "REDIS_KEY_PREFIX", f"{TEST_KEY_PREFIX}-idle")


@pytest.fixture
def people(app, client):
    return {
        name: make_user(app, email=f"{name.lower()}@example.com", name=name, plan="pro")
        for name in ("Ann", "Ben", "Val", "Out")
    }


@pytest.fixture
def team(app, people):
    return make_team(app, people["Ann"], editor=people["Ben"], viewer=people["Val"])


def headers(client, person) -> dict:
    tokens = client.post(
        "/api/v1/auth/login", json={"email": person.email, "password": DEFAULT_PASSWORD}
    ).get_json()
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def feed(client, person, team, **params):
    return client.get(
        f"/api/v1/workspaces/{team.id}/activity",
        headers=headers(client, person),
        query_string=params,
    )


def generate(app, person, project, topic):
    """Request a generation as `person` and run it in this process, as the worker would."""
    with app.app_context():
        job = posts.request_generation(
            accounts.get_user(person.id), project_id=project.id, topic=topic, voice="casual"
        )
        generation_jobs.run_generation(job.id)
        return generation_jobs.post_of(job.id).id


def test_a_teams_work_reads_as_who_did_what_newest_first(
    app, client, people, team, idle_queue, monkeypatch
):
    ann, ben, val = people["Ann"], people["Ben"], people["Val"]
    monkeypatch.setitem(app.config, "ALLOWED_PRIVATE_HOSTS", ["127.0.0.1:8765"])
    project = make_team_project(app, ann, team, "Launch")
    with app.app_context():
        sources.add_upload(
            accounts.get_user(ben.id),
            db.session.get(Project, project.id),
            "notes.txt",
            io.BytesIO(b"Notes worth reading."),
        )
        sources.add_url(
            accounts.get_user(ben.id),
            db.session.get(Project, project.id),
            "http://127.0.0.1:8765/pricing",
        )
    post_id = generate(app, ben, project, "Pricing   pages that convert")
    assert (
        client.delete(f"/api/v1/posts/{post_id}", headers=headers(client, ben)).status_code == 204
    )
    assert (
        client.delete(f"/api/v1/projects/{project.id}", headers=headers(client, ann)).status_code
        == 204
    )

    response = feed(client, val, team)  # a viewer reads it

    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 6
    assert [(e["action"], e["actor"], e["summary"]) for e in body["events"]] == [
        ("project.deleted", {"id": ann.id, "name": "Ann"}, 'Ann deleted project "Launch"'),
        (
            "post.deleted",
            {"id": ben.id, "name": "Ben"},
            'Ben deleted the blog post "Pricing pages that convert"',
        ),
        (
            "post.generated",
            {"id": ben.id, "name": "Ben"},
            'Ben generated the blog post "Pricing pages that convert"',
        ),
        (
            "source.added",
            {"id": ben.id, "name": "Ben"},
            'Ben added the page "http://127.0.0.1:8765/pricing" to project "Launch"',
        ),
        (
            "source.added",
            {"id": ben.id, "name": "Ben"},
            'Ben added the source "notes.txt" to project "Launch"',
        ),
        ("project.created", {"id": ann.id, "name": "Ann"}, 'Ann created project "Launch"'),
    ]
    first = body["events"][0]
    assert set(first) == {
        "id",
        "actor",
        "action",
        "subject_type",
        "subject_id",
        "summary",
        "created_at",
    }
    assert (first["subject_type"], first["subject_id"]) == ("project", project.id)
    assert first["created_at"].endswith("Z")
    generated = body["events"][2]
    assert (generated["subject_type"], generated["subject_id"]) == ("post", post_id)


def test_events_stay_in_their_workspace(app, client, people, team):
    ann = people["Ann"]
    make_team_project(app, ann, team, "Team launch")
    with app.app_context():
        personal = workspaces.personal_workspace_of(accounts.get_user(ann.id))
        personal_id = personal.id
    make_team_project(app, ann, SimpleNamespace(id=personal_id), "Private notes")

    summaries = [e["summary"] for e in feed(client, ann, team).get_json()["events"]]

    assert summaries == ['Ann created project "Team launch"']


def test_filter_by_action_and_pages(app, client, people, team):
    ann = people["Ann"]
    for number in range(5):
        make_team_project(app, ann, team, f"Project {number}")
    with app.app_context():
        activity.record(team.id, None, Activity.MEMBER_JOINED, "member", None, "Ben joined")
        db.session.commit()

    joined = feed(client, ann, team, action="member.joined").get_json()
    assert joined["total"] == 1
    assert joined["events"][0]["actor"] is None  # nobody in particular, or an account gone

    page = feed(client, ann, team, action="project.created", limit=2, offset=1).get_json()
    assert page["total"] == 5
    assert [e["summary"] for e in page["events"]] == [
        'Ann created project "Project 3"',
        'Ann created project "Project 2"',
    ]
    everything = feed(client, ann, team, limit=100).get_json()
    assert everything["total"] == 6
    past_the_end = feed(client, ann, team, offset=10).get_json()
    assert past_the_end == {"events": [], "total": 6}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"action": "project.renamed"}, "action"),
        ({"action": ""}, "action"),
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_bad_query_is_400_with_the_field(client, people, team, params, field):
    response = feed(client, people["Ann"], team, **params)
    assert response.status_code == 400
    detail = response.get_json()["detail"]
    assert detail["code"] == "VALIDATION_ERROR"
    assert [e["loc"] for e in detail["errors"]] == [["query", field]]


@pytest.mark.parametrize("workspace_id", ["their team", "507f1f77bcf86cd799439017", "nope"])
def test_a_non_member_gets_404(client, people, team, workspace_id):
    target = team if workspace_id == "their team" else SimpleNamespace(id=workspace_id)
    response = feed(client, people["Out"], target)
    assert response.status_code == 404
    assert response.get_json()["detail"]["code"] == "WORKSPACE_NOT_FOUND"


def test_every_role_may_read(app, client, people):
    ann = people["Ann"]
    roles = ("admin", "editor", "reviewer", "viewer")
    members = {role: make_user(app, email=f"{role}@example.com") for role in roles}
    team = make_team(app, ann, **members)
    for person in (ann, *members.values()):
        assert feed(client, person, team).status_code == 200


def test_no_authentication_is_401(client, team):
    response = client.get(f"/api/v1/workspaces/{team.id}/activity")
    assert response.status_code == 401


def test_a_page_of_events_loads_its_actors_in_the_same_query(app, people, team):
    """Two statements for a page (count and rows) whoever the actors are: no query per
    event for its actor."""
    actors = [make_user(app, email=f"actor{i}@example.com", name=f"Actor {i}") for i in range(6)]
    with app.app_context():
        for person in actors:
            activity.record(
                team.id,
                accounts.get_user(person.id),
                Activity.MEMBER_JOINED,
                "member",
                person.id,
                f"{person.name} joined",
            )
        db.session.commit()
        db.session.expunge_all()
        workspace = db.session.get(Workspace, team.id)
        statements = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            page = activity.list_events(workspace, limit=50)
            names = [e.actor.name for e in page.items]
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert names[:6] == [f"Actor {i}" for i in reversed(range(6))]
    assert len(statements) == 2, statements


def test_an_upload_the_queue_refuses_leaves_no_event(app, client, people, team, monkeypatch):
    """Redis down when the parse is queued: the upload is undone (503), its event too."""
    project = make_team_project(app, people["Ann"], team, "Launch")
    down = redis.Redis.from_url("redis://127.0.0.1:9/0", socket_connect_timeout=0.5)
    monkeypatch.setitem(app.extensions, "copydesk_redis", down)
    with app.app_context(), pytest.raises(ServiceUnavailable):
        sources.add_upload(
            accounts.get_user(people["Ben"].id),
            db.session.get(Project, project.id),
            "notes.txt",
            io.BytesIO(b"Notes worth reading."),
        )
    monkeypatch.undo()
    actions = [e["action"] for e in feed(client, people["Ann"], team).get_json()["events"]]
    assert actions == ["project.created"]
