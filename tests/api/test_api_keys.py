"""API keys: sk_live_/sk_test_, hashed, shown once, at most 5, counted, revoked at once."""

from webapp.extensions import db
from webapp.models import ApiKey

from ..factories import DEFAULT_PASSWORD, make_user


def create_key(client, headers, name="CI", mode="live"):
    response = client.post("/api/v1/api-keys", headers=headers, json={"name": name, "mode": mode})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_secret_is_shown_once_and_stored_hashed(client, auth, app):
    headers = auth.headers()
    created = create_key(client, headers)
    assert created["key"].startswith("sk_live_")
    assert created["key"].startswith(created["prefix"])
    listed = client.get("/api/v1/api-keys", headers=headers).get_json()
    assert listed["total"] == 1
    assert "key" not in listed["api_keys"][0]
    assert created["key"] not in client.get("/api/v1/api-keys", headers=headers).get_data(
        as_text=True
    )
    with app.app_context():
        stored = db.session.get(ApiKey, created["id"])
        assert created["key"] not in (stored.key_hash, stored.prefix)


def test_test_mode_key_prefix(client, auth):
    assert create_key(client, auth.headers(), mode="test")["key"].startswith("sk_test_")


def test_key_authenticates_with_bearer_and_x_api_key_and_counts_use(client, auth):
    headers = auth.headers()
    key = create_key(client, headers)["key"]
    assert (
        client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {key}"}).status_code
        == 200
    )
    assert client.get("/api/v1/projects", headers={"X-API-Key": key}).status_code == 200
    listed = client.get("/api/v1/api-keys", headers=headers).get_json()["api_keys"][0]
    assert listed["request_count"] == 2
    assert listed["last_used_at"].endswith("Z")


def test_at_most_five_active_keys(client, auth):
    headers = auth.headers()
    ids = [create_key(client, headers, name=f"k{n}")["id"] for n in range(5)]
    sixth = client.post("/api/v1/api-keys", headers=headers, json={"name": "k6"})
    assert sixth.status_code == 409
    assert sixth.get_json()["detail"]["code"] == "API_KEY_LIMIT_REACHED"
    assert client.delete(f"/api/v1/api-keys/{ids[0]}", headers=headers).status_code == 204
    assert client.post("/api/v1/api-keys", headers=headers, json={"name": "k6"}).status_code == 201


def test_revocation_is_immediate(client, auth):
    headers = auth.headers()
    created = create_key(client, headers)
    key_headers = {"X-API-Key": created["key"]}
    assert client.get("/api/v1/projects", headers=key_headers).status_code == 200
    assert client.delete(f"/api/v1/api-keys/{created['id']}", headers=headers).status_code == 204
    response = client.get("/api/v1/projects", headers=key_headers)
    assert response.status_code == 401
    assert response.get_json()["detail"]["code"] == "INVALID_API_KEY"
    assert client.get("/api/v1/api-keys", headers=headers).get_json()["total"] == 0


def test_unknown_and_malformed_keys_are_401(client, auth):
    auth.headers()
    for key in ("sk_live_" + "A" * 40, "sk_test_short", "sk_live_" + "é" * 40):
        response = client.get("/api/v1/projects", headers={"X-API-Key": key})
        assert response.status_code == 401
        assert response.get_json()["detail"]["code"] == "INVALID_API_KEY"


def test_another_users_key_cannot_be_revoked(client, auth, app):
    owner_headers = auth.headers(email="owner@example.com")
    created = create_key(client, owner_headers)
    intruder = auth.headers(email="intruder@example.com")
    assert client.delete(f"/api/v1/api-keys/{created['id']}", headers=intruder).status_code == 404
    assert client.get("/api/v1/projects", headers={"X-API-Key": created["key"]}).status_code == 200


def test_key_sees_only_its_owners_projects(client, auth, app):
    other = make_user(app, email="other@example.com")
    from ..factories import make_project

    make_project(app, other, name="Not yours")
    key = create_key(client, auth.headers())["key"]
    assert client.get("/api/v1/projects", headers={"X-API-Key": key}).get_json()["total"] == 0


def test_validation(client, auth):
    headers = auth.headers()
    for body in ({"mode": "prod"}, {"name": ""}, {"name": "x" * 101}, {"scopes": ["all"]}):
        response = client.post("/api/v1/api-keys", headers=headers, json=body)
        assert response.status_code == 400, body
    assert client.get("/api/v1/api-keys", headers=headers).get_json()["total"] == 0


def test_test_key_creates_test_keys_but_never_a_live_key(client, auth):
    headers = auth.headers()
    test_key = {"X-API-Key": create_key(client, headers, name="sandbox", mode="test")["key"]}
    for body in ({"name": "escalate", "mode": "live"}, {"name": "escalate"}):
        response = client.post("/api/v1/api-keys", headers=test_key, json=body)
        assert response.status_code == 403, body
        assert response.get_json()["detail"]["code"] == "LIVE_KEY_REQUIRED"
    assert create_key(client, test_key, name="another sandbox", mode="test")["key"].startswith(
        "sk_test_"
    )
    listed = client.get("/api/v1/api-keys", headers=headers).get_json()["api_keys"]
    assert sorted(key["mode"] for key in listed) == ["test", "test"]
    assert create_key(client, headers, mode="live")["key"].startswith("sk_live_")


def test_test_key_cannot_revoke_live_keys_or_change_the_password(client, auth):
    headers = auth.headers()
    live = create_key(client, headers, name="production", mode="live")
    sandbox = create_key(client, headers, name="sandbox", mode="test")
    other_sandbox = create_key(client, headers, name="other sandbox", mode="test")
    test_key = {"X-API-Key": sandbox["key"]}
    refused = client.delete(f"/api/v1/api-keys/{live['id']}", headers=test_key)
    assert refused.status_code == 403
    assert refused.get_json()["detail"]["code"] == "LIVE_KEY_REQUIRED"
    assert client.get("/api/v1/projects", headers={"X-API-Key": live["key"]}).status_code == 200
    assert (
        client.delete(f"/api/v1/api-keys/{other_sandbox['id']}", headers=test_key).status_code
        == 204
    )
    changed = client.post(
        "/api/v1/users/change-password",
        headers=test_key,
        json={"current_password": DEFAULT_PASSWORD, "new_password": "Taken-Over-123!"},
    )
    assert changed.status_code == 403
    assert changed.get_json()["detail"]["code"] == "LIVE_KEY_REQUIRED"
    assert auth.tokens(password=DEFAULT_PASSWORD)["access_token"]  # the password stands
