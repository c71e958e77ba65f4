"""Workspaces API: shapes, the owner's quota, members, roles, leave, transfer, and the
404-for-strangers / 403-for-too-small-a-role rules."""

import io
import os

import pytest

from ..factories import make_user
from ..workspace_helpers import add_member, bearer, make_workspace, personal_workspace, roles_of

API = "/api/v1/workspaces"


@pytest.fixture
def team(client, auth, app):
    """A's workspace "Team" with an admin, an editor, a reviewer and a viewer; headers per
    person, by the role's name."""
    people = {"owner": bearer(app, "a@example.com")}
    users = {"owner": make_user(app, email="a@example.com")}
    workspace = make_workspace(app, users["owner"], "Team")
    for role in ("admin", "editor", "reviewer", "viewer"):
        email = f"{role}@example.com"
        people[role] = bearer(app, email)
        users[role] = make_user(app, email=email)
        add_member(app, workspace, users[role], role)
    people["outsider"] = bearer(app, "outsider@example.com")
    users["outsider"] = make_user(app, email="outsider@example.com")

    class Team:
        id = workspace.id
        url = f"{API}/{workspace.id}"
        headers = people
        user = users

    return Team


def test_create_answers_the_workspace_and_lists_it_first(client, auth):
    headers = auth.headers()
    response = client.post(API, headers=headers, json={"name": "  Acme marketing "})
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "name", "role", "owner_id", "personal", "quota", "created_at"}
    assert body["name"] == "Acme marketing" and body["role"] == "owner"
    assert body["personal"] is False and body["created_at"].endswith("Z")
    assert set(body["quota"]) == {"posts_used", "posts_limit", "reset_date"}
    assert body["quota"]["posts_limit"] == 10 and body["quota"]["posts_used"] == 0
    listing = client.get(API, headers=headers).get_json()
    assert listing["total"] == 2
    assert [w["name"] for w in listing["workspaces"]] == ["Acme marketing", "Personal"]
    assert [w["personal"] for w in listing["workspaces"]] == [False, True]
    page = client.get(f"{API}?limit=1&offset=1", headers=headers).get_json()
    assert page["total"] == 2 and [w["name"] for w in page["workspaces"]] == ["Personal"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_bad_name_is_400_on_the_field(client, auth, name):
    response = client.post(API, headers=auth.headers(), json={"name": name})
    assert response.status_code == 400
    assert response.get_json()["detail"]["errors"][0]["loc"] == ["body", "name"]


def test_the_quota_is_the_owners_plan(client, auth, app):
    owner = make_user(app, email="boss@example.com", plan="pro")
    workspace = make_workspace(app, owner, "Pro team")
    headers = auth.headers("member@example.com")
    add_member(app, workspace, make_user(app, email="member@example.com"), "editor")
    listing = client.get(API, headers=headers).get_json()["workspaces"]
    by_name = {w["name"]: w for w in listing}
    assert by_name["Pro team"]["quota"]["posts_limit"] == 200
    assert by_name["Pro team"]["role"] == "editor" and by_name["Pro team"]["owner_id"] == owner.id
    assert by_name["Personal"]["quota"]["posts_limit"] == 10


def test_listing_takes_the_same_queries_for_one_owner_or_many(client, auth, app, sql_statements):
    headers = auth.headers("member@example.com")
    member = make_user(app, email="member@example.com")
    client.get(API, headers=headers)  # warm up: the principal, the rate limit

    def count_queries():
        with sql_statements() as executed:
            assert client.get(API, headers=headers).status_code == 200
        return len(executed)

    few = count_queries()
    for n in range(4):
        owner = make_user(app, email=f"owner{n}@example.com")
        add_member(app, make_workspace(app, owner, f"W{n}"), member, "viewer")
    assert client.get(API, headers=headers).get_json()["total"] == 5
    assert count_queries() == few


def test_get_rename_and_delete(client, team):
    owner = team.headers["owner"]
    assert client.get(team.url, headers=team.headers["viewer"]).get_json()["role"] == "viewer"
    renamed = client.patch(team.url, headers=team.headers["admin"], json={"name": "Renamed"})
    assert renamed.status_code == 200
    assert renamed.get_json()["name"] == "Renamed" and renamed.get_json()["role"] == "admin"
    assert client.get(team.url, headers=owner).get_json()["name"] == "Renamed"
    assert client.delete(team.url, headers=owner).status_code == 204
    response = client.get(team.url, headers=owner)
    assert response.status_code == 404
    assert response.get_json()["detail"]["code"] == "WORKSPACE_NOT_FOUND"
    assert client.get(API, headers=team.headers["editor"]).get_json()["total"] == 1


def test_deleting_takes_the_projects_and_their_files(client, team, app):
    owner = team.headers["owner"]
    project = client.post(
        "/api/v1/projects", headers=owner, json={"name": "Launch", "workspace_id": team.id}
    ).get_json()
    upload = client.post(
        f"/api/v1/sources/projects/{project['id']}/sources",
        headers=owner,
        data={"file": (io.BytesIO(b"Some notes for the launch."), "notes.txt")},
    )
    assert upload.status_code in (201, 202), upload.get_json()
    stored = os.path.join(app.config["UPLOAD_DIR"], upload.get_json()["s3_key"])
    assert os.path.exists(stored)
    assert client.delete(team.url, headers=owner).status_code == 204
    assert client.get(f"/api/v1/projects/{project['id']}", headers=owner).status_code == 404
    assert not os.path.exists(stored)


def test_the_personal_workspace_cannot_be_deleted_or_transferred(client, auth, app):
    headers = auth.headers()
    user = make_user(app, email="user@example.com")
    personal = personal_workspace(app, user)
    friend = make_user(app, email="friend@example.com")
    add_member(app, personal, friend, "editor")
    url = f"{API}/{personal.id}"
    for response in (
        client.delete(url, headers=headers),
        client.post(f"{url}/transfer", headers=headers, json={"user_id": friend.id}),
    ):
        assert response.status_code == 409
        assert response.get_json()["detail"]["code"] == "PERSONAL_WORKSPACE"
    assert client.get(url, headers=headers).status_code == 200


def test_an_outsider_gets_404_everywhere_and_changes_nothing(client, team):
    headers = team.headers["outsider"]
    editor = team.user["editor"].id
    for response in (
        client.get(team.url, headers=headers),
        client.patch(team.url, headers=headers, json={"name": "pwned"}),
        client.delete(team.url, headers=headers),
        client.post(f"{team.url}/transfer", headers=headers, json={"user_id": editor}),
        client.get(f"{team.url}/members", headers=headers),
        client.patch(f"{team.url}/members/{editor}", headers=headers, json={"role": "viewer"}),
        client.delete(f"{team.url}/members/{editor}", headers=headers),
        client.get(f"{API}/not-an-id", headers=headers),
    ):
        assert response.status_code == 404
        assert response.get_json()["detail"]["code"] == "WORKSPACE_NOT_FOUND"
    body = client.get(team.url, headers=team.headers["owner"]).get_json()
    assert body["name"] == "Team"
    assert client.get(f"{team.url}/members", headers=team.headers["owner"]).get_json()["total"] == 5


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("owner", {"rename", "set_role", "remove", "transfer"}),
        ("admin", {"rename", "set_role", "remove"}),
        ("editor", set()),
        ("reviewer", set()),
        ("viewer", set()),
    ],
)
def test_what_each_role_may_do(client, team, role, allowed):
    """Every route × every role (the owner's delete: test_get_rename_and_delete)."""
    headers = team.headers[role]
    target = team.user["viewer" if role != "viewer" else "reviewer"].id
    heir = team.user["editor" if role != "editor" else "admin"].id
    attempts = {
        "rename": lambda: client.patch(team.url, headers=headers, json={"name": "New"}),
        "set_role": lambda: client.patch(
            f"{team.url}/members/{target}", headers=headers, json={"role": "editor"}
        ),
        "remove": lambda: client.delete(f"{team.url}/members/{target}", headers=headers),
        "delete": lambda: client.delete(team.url, headers=headers),
        "transfer": lambda: client.post(
            f"{team.url}/transfer", headers=headers, json={"user_id": heir}
        ),
    }
    if role == "owner":
        del attempts["delete"]
    assert client.get(team.url, headers=headers).status_code == 200
    assert client.get(f"{team.url}/members", headers=headers).status_code == 200
    for action, attempt in attempts.items():
        response = attempt()
        if action in allowed:
            assert response.status_code in (200, 204), (action, response.get_json())
        else:
            assert response.status_code == 403, (action, response.get_json())
            assert response.get_json()["detail"]["code"] == "INSUFFICIENT_ROLE"


def test_members_are_listed_newest_first_with_their_fields(client, team):
    body = client.get(f"{team.url}/members", headers=team.headers["viewer"]).get_json()
    assert body["total"] == 5
    assert [m["role"] for m in body["members"]] == [
        "viewer",
        "reviewer",
        "editor",
        "admin",
        "owner",
    ]
    first = body["members"][0]
    assert set(first) == {"user_id", "email", "name", "role", "joined_at"}
    assert first["email"] == "viewer@example.com" and first["joined_at"].endswith("Z")
    page = client.get(f"{team.url}/members?limit=2&offset=3", headers=team.headers["owner"])
    assert [m["role"] for m in page.get_json()["members"]] == ["admin", "owner"]


def test_changing_a_role(client, team, app):
    viewer = team.user["viewer"].id
    url = f"{team.url}/members/{viewer}"
    response = client.patch(url, headers=team.headers["admin"], json={"role": "editor"})
    assert response.status_code == 200
    assert response.get_json() == {
        **response.get_json(),
        "user_id": viewer,
        "email": "viewer@example.com",
        "role": "editor",
    }
    # Now an editor: may create projects in the workspace.
    created = client.post(
        "/api/v1/projects",
        headers=team.headers["viewer"],
        json={"name": "Mine", "workspace_id": team.id},
    )
    assert created.status_code == 201


def test_ownership_moves_only_by_transfer(client, team, app):
    owner_id = team.user["owner"].id
    admin = team.headers["admin"]
    to_owner = client.patch(
        f"{team.url}/members/{team.user['editor'].id}", headers=admin, json={"role": "owner"}
    )
    assert to_owner.status_code == 400
    assert to_owner.get_json()["detail"]["errors"][0]["loc"] == ["body", "role"]
    for response in (
        client.patch(f"{team.url}/members/{owner_id}", headers=admin, json={"role": "viewer"}),
        client.delete(f"{team.url}/members/{owner_id}", headers=admin),
        client.delete(f"{team.url}/members/{owner_id}", headers=team.headers["owner"]),
    ):
        assert response.status_code == 409
        assert response.get_json()["detail"]["code"] == "LAST_OWNER"
    assert roles_of(app, team)[owner_id] == "owner"


def test_an_unknown_member_is_404(client, team):
    outsider = team.user["outsider"].id
    for response in (
        client.patch(
            f"{team.url}/members/{outsider}", headers=team.headers["admin"], json={"role": "editor"}
        ),
        client.delete(f"{team.url}/members/nope", headers=team.headers["admin"]),
    ):
        assert response.status_code == 404
        assert response.get_json()["detail"]["code"] == "MEMBER_NOT_FOUND"


def test_a_removed_member_gets_404_and_anyone_may_leave(client, team, app):
    moved = client.post(
        "/api/v1/projects",
        headers=team.headers["owner"],
        json={"name": "Team plans", "workspace_id": team.id},
    ).get_json()
    editor = team.headers["editor"]
    assert client.get(f"/api/v1/projects/{moved['id']}", headers=editor).status_code == 200
    removed = client.delete(
        f"{team.url}/members/{team.user['editor'].id}", headers=team.headers["admin"]
    )
    assert removed.status_code == 204
    assert client.get(f"/api/v1/projects/{moved['id']}", headers=editor).status_code == 404
    assert client.get(team.url, headers=editor).status_code == 404
    viewer = team.headers["viewer"]
    assert (
        client.delete(f"{team.url}/members/{team.user['viewer'].id}", headers=viewer).status_code
        == 204
    )
    assert client.get(team.url, headers=viewer).status_code == 404
    remaining = client.get(f"{team.url}/members", headers=team.headers["owner"]).get_json()
    assert {m["role"] for m in remaining["members"]} == {"owner", "admin", "reviewer"}


def test_transfer(client, team, app):
    owner = team.headers["owner"]
    editor = team.user["editor"]
    for user_id in (team.user["outsider"].id, "nope", team.user["owner"].id):
        refused = client.post(f"{team.url}/transfer", headers=owner, json={"user_id": user_id})
        assert refused.status_code == 400
        assert refused.get_json()["detail"]["errors"][0]["loc"] == ["body", "user_id"]
    response = client.post(f"{team.url}/transfer", headers=owner, json={"user_id": editor.id})
    assert response.status_code == 200
    body = response.get_json()
    assert body["owner_id"] == editor.id and body["role"] == "admin"
    roles = roles_of(app, team)
    assert roles[editor.id] == "owner" and roles[team.user["owner"].id] == "admin"
    assert roles[None] == editor.id
    # The old owner, now an admin, may no longer delete; the new one may.
    assert client.delete(team.url, headers=owner).status_code == 403
    assert client.delete(team.url, headers=team.headers["editor"]).status_code == 204


def test_the_operations_are_documented(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths[API]) >= {"get", "post"}
    assert set(paths[f"{API}/{{workspace_id}}"]) >= {"get", "patch", "delete"}
    assert "post" in paths[f"{API}/{{workspace_id}}/transfer"]
    assert set(paths[f"{API}/{{workspace_id}}/members/{{user_id}}"]) >= {"patch", "delete"}
