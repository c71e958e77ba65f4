"""Projects API: reference 004 fields, limits, ordering and the 404-not-403 rule."""

from datetime import datetime

from webapp.extensions import db
from webapp.models import Project

from ..factories import make_project, make_user


def test_create_project_returns_reference_fields(client, auth):
    headers = auth.headers()
    response = client.post(
        "/api/v1/projects",
        headers=headers,
        json={"name": "Tech Blog Q4 2025", "description": "Blog posts for technology audience"},
    )
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) >= {"id", "user_id", "name", "description", "created_at", "updated_at"}
    assert body["name"] == "Tech Blog Q4 2025"
    assert body["created_at"].endswith("Z") and len(body["id"]) == 24


def test_list_is_newest_first_with_total_limit_and_offset(client, auth, app):
    headers = auth.headers()
    for n in range(3):
        client.post("/api/v1/projects", headers=headers, json={"name": f"P{n}"})
    body = client.get("/api/v1/projects", headers=headers).get_json()
    assert body["total"] == 3
    assert [p["name"] for p in body["projects"]] == ["P2", "P1", "P0"]
    page = client.get("/api/v1/projects?limit=1&offset=1", headers=headers).get_json()
    assert page["total"] == 3 and [p["name"] for p in page["projects"]] == ["P1"]


def test_list_rejects_limit_over_100(client, auth):
    response = client.get("/api/v1/projects?limit=101", headers=auth.headers())
    assert response.status_code == 400
    assert response.get_json()["detail"]["errors"][0]["loc"] == ["query", "limit"]


def test_empty_list(client, auth):
    assert client.get("/api/v1/projects", headers=auth.headers()).get_json() == {
        "projects": [],
        "total": 0,
    }


def test_update_changes_only_given_fields(client, auth):
    headers = auth.headers()
    created = client.post(
        "/api/v1/projects", headers=headers, json={"name": "Old", "description": "Keep me"}
    ).get_json()
    response = client.put(
        f"/api/v1/projects/{created['id']}",
        headers=headers,
        json={"name": "Tech Blog Q4 2025 - Updated"},
    )
    assert response.status_code == 200
    assert response.get_json()["name"] == "Tech Blog Q4 2025 - Updated"
    assert response.get_json()["description"] == "Keep me"


def test_delete_then_gone(client, auth):
    headers = auth.headers()
    created = client.post("/api/v1/projects", headers=headers, json={"name": "X"}).get_json()
    assert client.delete(f"/api/v1/projects/{created['id']}", headers=headers).status_code == 204
    response = client.get(f"/api/v1/projects/{created['id']}", headers=headers)
    assert response.status_code == 404
    assert response.get_json()["detail"]["code"] == "PROJECT_NOT_FOUND"


def test_another_users_project_is_404_and_unchanged(client, auth, app):
    owner = make_user(app, email="owner@example.com")
    project = make_project(app, owner, name="Secret plans")
    headers = auth.headers(email="intruder@example.com")
    url = f"/api/v1/projects/{project.id}"
    for response in (
        client.get(url, headers=headers),
        client.put(url, headers=headers, json={"name": "pwned"}),
        client.delete(url, headers=headers),
    ):
        assert response.status_code == 404
        assert "Secret plans" not in response.get_data(as_text=True)
    assert client.get("/api/v1/projects", headers=headers).get_json()["total"] == 0
    owner_headers = auth.headers(email="owner@example.com")
    assert client.get(url, headers=owner_headers).get_json()["name"] == "Secret plans"


def test_malformed_project_id_is_404(client, auth):
    response = client.get("/api/v1/projects/not-an-id%00", headers=auth.headers())
    assert response.status_code == 404


def test_validation_rules(client, auth):
    headers = auth.headers()
    cases = [
        ({}, "name", "missing"),
        ({"name": ""}, "name", "string_too_short"),
        ({"name": "   "}, "name", "string_too_short"),
        ({"name": "x" * 201}, "name", "string_too_long"),
        ({"name": "ok", "description": "d" * 1001}, "description", "string_too_long"),
        ({"name": 42}, "name", "string_type"),
        ({"name": "ok", "owner": "me"}, "owner", "extra_forbidden"),
        ({"name": "ok", "metadata": {f"k{i}": "v" for i in range(51)}}, "metadata", "too_long"),
        ({"name": "ok", "metadata": {"": "v"}}, "metadata", "string_too_short"),
        ({"name": "ok", "metadata": {"k": 5}}, "metadata", "string_type"),
    ]
    for body, field, error_type in cases:
        response = client.post("/api/v1/projects", headers=headers, json=body)
        assert response.status_code == 400, body
        detail = response.get_json()["detail"]
        assert detail["code"] == "VALIDATION_ERROR"
        assert detail["errors"][0]["loc"][:2] == ["body", field], body
        assert detail["errors"][0]["type"] == error_type, body
    assert client.get("/api/v1/projects", headers=headers).get_json()["total"] == 0


def test_metadata_is_returned_unchanged(client, auth):
    headers = auth.headers()
    metadata = {"campaign_id": "summer_2024", "department": "sales"}
    created = client.post(
        "/api/v1/projects", headers=headers, json={"name": "M", "metadata": metadata}
    ).get_json()
    assert created["metadata"] == metadata
    assert (
        client.get(f"/api/v1/projects/{created['id']}", headers=headers).get_json()["metadata"]
        == metadata
    )


def test_requires_authentication(client):
    response = client.get("/api/v1/projects")
    assert response.status_code == 401
    assert response.get_json()["detail"]["code"] == "UNAUTHORIZED"


def test_listed_projects_are_what_get_answers(client, auth):
    """The list serialises rows itself (its hot path skips ORM objects and pydantic): every
    project in it reads exactly as GET /projects/<id> (ProjectOut) answers it."""
    headers = auth.headers()
    client.post("/api/v1/projects", headers=headers, json={"name": "Bare"})
    client.post(
        "/api/v1/projects",
        headers=headers,
        json={"name": "Full", "description": "About it", "metadata": {"client": "Acme", "é": "ü"}},
    )
    listed = client.get("/api/v1/projects", headers=headers).get_json()["projects"]
    assert [p["name"] for p in listed] == ["Full", "Bare"]
    for project in listed:
        single = client.get(f"/api/v1/projects/{project['id']}", headers=headers).get_json()
        assert list(project.items()) == list(single.items())


def test_listed_timestamps_cut_fractions_like_get(client, auth, app):
    """The list's timestamps are formatted by the database: a fraction of a second just
    under the next one is cut off there too, never rounded up."""
    headers = auth.headers()
    created = client.post("/api/v1/projects", headers=headers, json={"name": "Late"}).get_json()
    with app.app_context():
        project = db.session.get(Project, created["id"])
        project.created_at = datetime(2025, 12, 31, 23, 59, 59, 999999)
        project.updated_at = datetime(2026, 1, 2, 3, 4, 5, 500000)
        db.session.commit()
    listed = client.get("/api/v1/projects", headers=headers).get_json()["projects"][0]
    single = client.get(f"/api/v1/projects/{created['id']}", headers=headers).get_json()
    assert listed["created_at"] == single["created_at"] == "2025-12-31T23:59:59Z"
    assert listed["updated_at"] == single["updated_at"] == "2026-01-02T03:04:05Z"


def test_offset_past_the_end_still_counts(client, auth):
    headers = auth.headers()
    for n in range(2):
        client.post("/api/v1/projects", headers=headers, json={"name": f"P{n}"})
    page = client.get("/api/v1/projects?offset=5", headers=headers).get_json()
    assert page == {"projects": [], "total": 2}


def test_a_created_project_is_listed_by_the_next_request(client, auth):
    headers = auth.headers()
    assert client.get("/api/v1/projects", headers=headers).get_json()["total"] == 0
    client.post("/api/v1/projects", headers=headers, json={"name": "New"})
    body = client.get("/api/v1/projects", headers=headers).get_json()
    assert body["total"] == 1 and body["projects"][0]["name"] == "New"


def test_answers_carry_any_text(client, auth):
    """Answers are encoded by orjson (UTF-8, not \\u escapes): the client reads back what
    it sent."""
    headers = auth.headers()
    metadata = {"city": "Zürich 東京", "mood": "☕"}
    created = client.post(
        "/api/v1/projects", json={"name": "Café ☕", "metadata": metadata}, headers=headers
    )
    assert created.status_code == 201, created.get_json()
    listed = client.get("/api/v1/projects", headers=headers)
    assert listed.status_code == 200 and listed.mimetype == "application/json"
    assert "Zürich 東京".encode() in listed.data
    (project,) = listed.get_json()["projects"]
    assert (project["name"], project["metadata"]) == ("Café ☕", metadata)
