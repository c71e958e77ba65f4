"""Brand voices API: CRUD under /workspaces/{id}/voices by admins and the owner on
starter and above, read by every member, 404 to strangers; the /voices catalogue; and
generation requests naming a brand voice as custom:<id>, written end to end."""

from __future__ import annotations

import pytest

from webapp.extensions import db
from webapp.models import Post
from webapp.services import accounts, generation_jobs

from ..conftest import TEST_KEY_PREFIX
from ..factories import add_member, make_team_project, make_user
from ..voice_helpers import person
from ..workspace_helpers import make_workspace, personal_workspace

ROLES = ("owner", "admin", "editor", "reviewer", "viewer")
VOICE = {
    "name": "Bakery",
    "description": "Warm and plain-spoken.",
    "dos": ["Name the bread"],
    "donts": ["Say 'artisanal'"],
    "examples": ["Our rye never lasts past nine."],
}


@pytest.fixture
def idle_queue(app, monkeypatch):
    """Jobs go to a queue no worker listens to; a test runs them in this process."""
    monkeypatch.setitem(app.config, "REDIS_KEY_PREFIX", f"{TEST_KEY_PREFIX}-idle")


@pytest.fixture
def team(client, app):
    """A starter owner's workspace with a member of every other role, an outsider, and a
    project; headers by role."""
    owner, owner_headers = person(app, "owner@example.com", plan="starter")
    workspace = make_workspace(app, owner, "Team")
    headers = {"owner": owner_headers}
    for role in ROLES[1:]:
        user, headers[role] = person(app, f"{role}@example.com")
        add_member(app, workspace, user, role)
    headers["outsider"] = person(app, "outsider@example.com")[1]

    class Team:
        id = workspace.id
        url = f"/api/v1/workspaces/{workspace.id}/voices"
        project = make_team_project(app, workspace, owner)

    Team.headers = headers
    Team.owner = owner
    return Team


def set_plan(app, user, plan):
    with app.app_context():
        accounts.get_user(user.id).subscription_tier = plan
        db.session.commit()


def create(client, team, role="owner", **fields):
    return client.post(team.url, headers=team.headers[role], json={**VOICE, **fields})


def detail(response) -> dict:
    return response.get_json()["detail"]


def test_the_owner_creates_reads_changes_and_deletes_a_voice(client, team):
    created = create(client, team)
    assert created.status_code == 201, created.get_json()
    voice = created.get_json()
    assert voice["voice"] == f"custom:{voice['id']}" and voice["workspace_id"] == team.id
    assert {k: voice[k] for k in VOICE} == VOICE
    one = f"{team.url}/{voice['id']}"
    assert client.get(one, headers=team.headers["owner"]).get_json()["name"] == "Bakery"

    changed = client.patch(one, headers=team.headers["owner"], json={"dos": [], "name": "Shop"})
    assert changed.status_code == 200
    assert changed.get_json()["name"] == "Shop" and changed.get_json()["dos"] == []
    assert changed.get_json()["donts"] == VOICE["donts"]  # what was not sent stays

    assert client.delete(one, headers=team.headers["owner"]).status_code == 204
    gone = client.get(one, headers=team.headers["owner"])
    assert gone.status_code == 404 and detail(gone)["code"] == "VOICE_NOT_FOUND"


def test_an_admin_manages_voices(client, team):
    voice = create(client, team, "admin").get_json()
    one = f"{team.url}/{voice['id']}"
    assert client.patch(one, headers=team.headers["admin"], json={}).status_code == 200
    assert client.delete(one, headers=team.headers["admin"]).status_code == 204


@pytest.mark.parametrize("role", ["editor", "reviewer", "viewer"])
def test_other_members_read_but_may_not_manage(client, team, role):
    voice = create(client, team).get_json()
    one = f"{team.url}/{voice['id']}"
    headers = team.headers[role]
    listed = client.get(team.url, headers=headers).get_json()
    assert listed["total"] == 1 and listed["voices"][0]["id"] == voice["id"]
    assert client.get(one, headers=headers).status_code == 200
    for response in (
        create(client, team, role, name="Mine"),
        client.patch(one, headers=headers, json={"name": "Mine"}),
        client.delete(one, headers=headers),
    ):
        assert response.status_code == 403 and detail(response)["code"] == "INSUFFICIENT_ROLE"


def test_strangers_find_nothing(client, team):
    voice = create(client, team).get_json()
    headers = team.headers["outsider"]
    for response in (
        client.get(team.url, headers=headers),
        client.get(f"{team.url}/{voice['id']}", headers=headers),
        create(client, team, "outsider"),
        client.delete(f"{team.url}/{voice['id']}", headers=headers),
        client.get(f"/api/v1/voices?workspace_id={team.id}", headers=headers),
    ):
        assert response.status_code == 404 and detail(response)["code"] == "WORKSPACE_NOT_FOUND"


def test_another_workspaces_voice_is_not_found_under_this_one(client, app, team):
    other = make_workspace(app, team.owner, "Other")
    voice = client.post(
        f"/api/v1/workspaces/{other.id}/voices", headers=team.headers["owner"], json=VOICE
    ).get_json()
    response = client.get(f"{team.url}/{voice['id']}", headers=team.headers["owner"])
    assert response.status_code == 404 and detail(response)["code"] == "VOICE_NOT_FOUND"


def test_a_free_plan_refuses_creating_and_changing(client, app, team):
    voice = create(client, team).get_json()
    set_plan(app, team.owner, "free")
    refused = create(client, team, name="Second")
    assert refused.status_code == 403 and detail(refused)["code"] == "VOICE_NOT_AVAILABLE"
    one = f"{team.url}/{voice['id']}"
    changed = client.patch(one, headers=team.headers["owner"], json={"name": "Renamed"})
    assert changed.status_code == 403 and detail(changed)["code"] == "VOICE_NOT_AVAILABLE"
    # What exists can still be read and removed.
    assert client.get(team.url, headers=team.headers["owner"]).get_json()["total"] == 1
    assert client.delete(one, headers=team.headers["owner"]).status_code == 204


@pytest.mark.parametrize(
    "fields,loc",
    [
        ({"name": "Professional"}, ["body", "name"]),
        ({"name": "GEN_Z"}, ["body", "name"]),
        ({"name": "x" * 61}, ["body", "name"]),
        ({"name": "  "}, ["body", "name"]),
        ({"description": "d" * 1001}, ["body", "description"]),
        ({"dos": ["x"] * 11}, ["body", "dos"]),
        ({"donts": ["y" * 201]}, ["body", "donts", 0]),
        ({"examples": ["e"] * 4}, ["body", "examples"]),
        ({"examples": ["ok", "e" * 2001]}, ["body", "examples", 1]),
    ],
)
def test_limits_answer_400_at_the_field(client, team, fields, loc):
    response = create(client, team, **fields)
    assert response.status_code == 400 and detail(response)["code"] == "VALIDATION_ERROR"
    assert [error["loc"] for error in detail(response)["errors"]] == [loc]


def test_a_name_is_taken_whatever_its_case(client, team):
    create(client, team)
    response = create(client, team, name="BAKERY")
    assert response.status_code == 400
    assert detail(response)["errors"][0]["loc"] == ["body", "name"]
    other = create(client, team, name="Other").get_json()
    renamed = client.patch(
        f"{team.url}/{other['id']}", headers=team.headers["owner"], json={"name": "bakery"}
    )
    assert renamed.status_code == 400 and detail(renamed)["errors"][0]["loc"] == ["body", "name"]


def catalogue(client, headers, workspace_id=None) -> dict:
    url = "/api/v1/voices" + (f"?workspace_id={workspace_id}" if workspace_id else "")
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_catalogue_says_what_each_plan_has(client, app, team):
    voice = create(client, team).get_json()
    listed = catalogue(client, team.headers["viewer"], team.id)
    by_id = {entry["id"]: entry for entry in listed["voices"]}
    assert listed["total"] == len(by_id) == 12
    assert by_id["professional"] == {
        "id": "professional",
        "name": "Professional",
        "kind": "built_in",
        "min_plan": "free",
        "available": True,
    }
    assert by_id["gen_z"]["min_plan"] == "starter" and by_id["gen_z"]["available"]
    assert by_id[f"custom:{voice['id']}"] == {
        "id": f"custom:{voice['id']}",
        "name": "Bakery",
        "kind": "custom",
        "min_plan": "starter",
        "available": True,
    }
    set_plan(app, team.owner, "free")
    free = {
        e["id"]: e["available"]
        for e in catalogue(client, team.headers["viewer"], team.id)["voices"]
    }
    assert free["professional"] and free["casual"]
    assert not free["gen_z"] and not free[f"custom:{voice['id']}"]


def test_the_catalogue_defaults_to_the_callers_personal_workspace(client, app, team):
    create(client, team)
    mine = catalogue(client, team.headers["viewer"])  # the viewer's own plan: free
    assert mine["total"] == 11 and {e["kind"] for e in mine["voices"]} == {"built_in"}
    viewer = make_user(app, email="viewer@example.com")
    personal = personal_workspace(app, viewer)
    assert catalogue(client, team.headers["viewer"], personal.id)["total"] == 11


def generate(client, headers, project_id, voice, topic="Fresh bread every morning"):
    return client.post(
        "/api/v1/posts/generate",
        headers=headers,
        json={"project_id": project_id, "topic": topic, "voice": voice, "target_length": "short"},
    )


def test_a_post_in_a_brand_voice_is_written_end_to_end(client, app, team, idle_queue):
    voice = create(client, team).get_json()
    accepted = generate(client, team.headers["editor"], team.project.id, voice["voice"])
    assert accepted.status_code == 202, accepted.get_json()
    job_id = accepted.get_json()["job_id"]
    with app.app_context():
        generation_jobs.run_generation(job_id)
        post_id = db.session.execute(db.select(Post.id).where(Post.job_id == job_id)).scalar_one()
    post = client.get(f"/api/v1/posts/{post_id}", headers=team.headers["viewer"]).get_json()
    assert post["status"] == "completed" and post["voice"] == f"custom:{voice['id']}"
    assert post["content"]["markdown"]
    # No sources and no model: an outline, which no voice applies to.
    assert [w["code"] for w in post["warnings"]] == ["NO_SOURCES"]


@pytest.mark.parametrize(
    "voice",
    ["custom:" + "0" * 24, "custom:nope", "custom:", "Custom:" + "a" * 24, "pirate"],
)
def test_an_unknown_voice_is_400_at_the_voice_field(client, team, voice):
    response = generate(client, team.headers["owner"], team.project.id, voice)
    assert response.status_code == 400 and detail(response)["code"] == "VALIDATION_ERROR"
    assert [error["loc"] for error in detail(response)["errors"]] == [["body", "voice"]]


def test_another_workspaces_voice_is_400_at_the_voice_field(client, app, team):
    other = make_workspace(app, team.owner, "Other")
    voice = client.post(
        f"/api/v1/workspaces/{other.id}/voices", headers=team.headers["owner"], json=VOICE
    ).get_json()
    response = generate(client, team.headers["owner"], team.project.id, voice["voice"])
    assert response.status_code == 400 and detail(response)["code"] == "VALIDATION_ERROR"
    assert detail(response)["errors"][0]["loc"] == ["body", "voice"]


def test_a_brand_voice_below_starter_is_403(client, app, team):
    voice = create(client, team).get_json()
    set_plan(app, team.owner, "free")
    response = generate(client, team.headers["editor"], team.project.id, voice["voice"])
    assert response.status_code == 403 and detail(response)["code"] == "VOICE_NOT_AVAILABLE"
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Post)).scalar() == 0
