"""API conventions every endpoint shares: the error envelope, JSON-only errors, body
limits, rate limits with their headers, Idempotency-Key, and the OpenAPI document."""

import json
import re
import time

import requests

from ..conftest import csrf_token_from
from ..factories import make_user


def assert_envelope(response, status, code):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    detail = response.get_json()["detail"]
    assert detail["code"] == code and detail["message"]
    return detail


def test_unknown_route_and_wrong_method_are_json(client, auth):
    assert_envelope(client.get("/api/v1/does-not-exist"), 404, "NOT_FOUND")
    assert_envelope(client.get("/api/elsewhere"), 404, "NOT_FOUND")
    response = client.patch("/api/v1/auth/login", json={})
    assert_envelope(response, 405, "METHOD_NOT_ALLOWED")
    assert "POST" in response.headers["Allow"]


def test_malformed_bodies_change_nothing(client, auth):
    headers = auth.headers()
    cases = [
        ({"data": "{bad json", "content_type": "application/json"}, 400, "INVALID_JSON"),
        ({"data": b"\xff\xfe{}", "content_type": "application/json"}, 400, "INVALID_JSON"),
        ({"data": "[1, 2]", "content_type": "application/json"}, 400, "VALIDATION_ERROR"),
        ({"data": '"text"', "content_type": "application/json"}, 400, "VALIDATION_ERROR"),
        (
            {"data": json.dumps({"name": "a\u0000b"}), "content_type": "application/json"},
            400,
            "VALIDATION_ERROR",
        ),
        (
            {"data": "name=x", "content_type": "application/x-www-form-urlencoded"},
            415,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        ({"data": json.dumps({"name": "x"})}, 415, "UNSUPPORTED_MEDIA_TYPE"),
    ]
    for kwargs, status, code in cases:
        assert_envelope(client.post("/api/v1/projects", headers=headers, **kwargs), status, code)
    assert client.get("/api/v1/projects", headers=headers).get_json()["total"] == 0


# Nested past what any request needs (64 levels), or past what a recursive parser survives.
DEEP_BODIES = [
    "[" * 100_000,
    '{"a":' * 5000 + "1" + "}" * 5000,
    '{"name": "x", "metadata": ' + '{"a":' * 64 + '"v"' + "}" * 64 + "}",
]


def test_deeply_nested_json_is_400_invalid_json_everywhere(client, auth):
    headers = auth.headers()
    endpoints = [
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/password-reset",
        "/api/v1/projects",
    ]
    for path in endpoints:
        for body in DEEP_BODIES:
            response = client.post(
                path, headers=headers, data=body, content_type="application/json"
            )
            detail = assert_envelope(response, 400, "INVALID_JSON")
            assert "64 levels" in detail["message"]
    assert client.get("/api/v1/projects", headers=headers).get_json()["total"] == 0


def test_deeply_nested_json_sent_to_a_page_is_no_server_error(client):
    """The reset page's rate limit reads the address from a JSON body too."""
    token = csrf_token_from(client.get("/forgot-password"))
    response = client.post(
        "/forgot-password",
        data=DEEP_BODIES[0],
        headers={"X-CSRFToken": token},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert b"could not understand" in response.data


def test_json_nested_64_levels_is_still_json(client, auth):
    body = '{"name": "x", "metadata": ' + '{"a":' * 63 + '"v"' + "}" * 63 + "}"
    response = client.post(
        "/api/v1/projects", headers=auth.headers(), data=body, content_type="application/json"
    )
    assert_envelope(response, 400, "VALIDATION_ERROR")


def test_oversized_body_is_413(client, auth):
    headers = auth.headers()
    body = json.dumps({"name": "x", "description": "y" * (2 * 1024 * 1024)})
    response = client.post(
        "/api/v1/projects", headers=headers, data=body, content_type="application/json"
    )
    assert_envelope(response, 413, "PAYLOAD_TOO_LARGE")
    assert client.get("/api/v1/projects", headers=headers).get_json()["total"] == 0


def test_rate_limit_headers_on_api_responses(client, auth):
    response = client.get("/api/v1/projects", headers=auth.headers())
    assert response.headers["X-RateLimit-Limit"] == "100"
    assert int(response.headers["X-RateLimit-Remaining"]) == 99
    assert int(response.headers["X-RateLimit-Reset"]) > 0
    assert "Retry-After" not in response.headers


def test_login_is_limited_to_5_per_minute_per_address(client, app):
    make_user(app, email="user@example.com")
    body = {"email": "user@example.com", "password": "Wrong-password-1"}
    statuses = [client.post("/api/v1/auth/login", json=body).status_code for _ in range(5)]
    assert statuses == [401] * 5
    response = client.post("/api/v1/auth/login", json=body)
    detail = assert_envelope(response, 429, "RATE_LIMIT_EXCEEDED")
    assert 0 < detail["retry_after"] <= 60
    assert int(response.headers["Retry-After"]) == detail["retry_after"]
    assert response.headers["X-RateLimit-Remaining"] == "0"
    # Another address is not affected.
    other = client.post("/api/v1/auth/login", json=body, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other.status_code == 401


def test_register_is_limited_to_3_per_minute(client):
    statuses = [
        client.post(
            "/api/v1/auth/register",
            json={"email": f"u{n}@example.com", "password": "SecurePassword123!", "name": "U"},
        ).status_code
        for n in range(4)
    ]
    assert statuses == [201, 201, 201, 429]


def test_general_limit_is_per_user_over_all_endpoints(client, auth):
    headers = auth.headers()
    statuses = {
        client.get(path, headers=headers).status_code
        for path in ("/api/v1/projects", "/api/v1/users/me")
        for _ in range(50)
    }
    assert statuses == {200}
    assert_envelope(client.get("/api/v1/jobs", headers=headers), 429, "RATE_LIMIT_EXCEEDED")
    other = auth.headers(email="other@example.com")
    assert client.get("/api/v1/projects", headers=other).status_code == 200


def test_a_refused_request_says_when_to_come_back_and_is_not_counted(client, auth):
    headers = auth.headers()
    for _ in range(100):
        assert client.get("/api/v1/users/me", headers=headers).status_code == 200
    refused = client.get("/api/v1/projects", headers=headers)
    detail = assert_envelope(refused, 429, "RATE_LIMIT_EXCEEDED")
    assert 55 <= detail["retry_after"] <= 60
    assert int(refused.headers["Retry-After"]) == detail["retry_after"]
    assert refused.headers["X-RateLimit-Limit"] == "100"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    again = client.get("/api/v1/projects", headers=headers)
    assert again.status_code == 429 and again.headers["X-RateLimit-Remaining"] == "0"


def test_the_hourly_limit_of_1000_holds_across_minutes(client, auth, app, redis_client):
    """An hour's worth of earlier calls (none in the last minute): the next is refused by
    the hourly window, which reports itself and when its oldest call leaves."""
    headers = auth.headers()
    user_id = client.get("/api/v1/users/me", headers=headers).get_json()["id"]
    key = f"{app.config['REDIS_KEY_PREFIX']}-api-rl:user:{user_id}:3600"
    now_ms = int(time.time() * 1000)
    redis_client.zadd(key, {f"earlier-{n}": now_ms - 3_000_000 + n for n in range(999)})
    refused = client.get("/api/v1/projects", headers=headers)
    detail = assert_envelope(refused, 429, "RATE_LIMIT_EXCEEDED")
    assert 550 <= detail["retry_after"] <= 601
    assert refused.headers["X-RateLimit-Limit"] == "1000"
    assert refused.headers["X-RateLimit-Remaining"] == "0"


def test_idempotency_key_replays_first_response(client, auth):
    headers = {**auth.headers(), "Idempotency-Key": "create-tech-blog-1"}
    first = client.post("/api/v1/projects", headers=headers, json={"name": "Tech Blog"})
    again = client.post("/api/v1/projects", headers=headers, json={"name": "Tech Blog"})
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert client.get("/api/v1/projects", headers=headers).get_json()["total"] == 1


def test_idempotency_key_with_different_body_is_422(client, auth):
    headers = {**auth.headers(), "Idempotency-Key": "k-1"}
    client.post("/api/v1/projects", headers=headers, json={"name": "One"})
    response = client.post("/api/v1/projects", headers=headers, json={"name": "Two"})
    assert_envelope(response, 422, "IDEMPOTENCY_KEY_REUSED")
    assert client.get("/api/v1/projects", headers=headers).get_json()["total"] == 1


def test_idempotency_keys_are_per_user(client, auth):
    first = {**auth.headers(email="a@example.com"), "Idempotency-Key": "same"}
    second = {**auth.headers(email="b@example.com"), "Idempotency-Key": "same"}
    a = client.post("/api/v1/projects", headers=first, json={"name": "A"}).get_json()
    b = client.post("/api/v1/projects", headers=second, json={"name": "A"}).get_json()
    assert a["id"] != b["id"] and a["user_id"] != b["user_id"]


def test_openapi_document_describes_every_api_route(client, app):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi_document":
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method.lower()) in documented
    create = spec["paths"]["/api/v1/projects"]["post"]
    schema_name = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][schema_name.split("/")[-1]]
    assert schema["properties"]["name"]["maxLength"] == 200


def test_docs_page_lists_endpoints(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/api/v1/projects/{project_id}" in page and "Create a project" in page


def test_redis_down_limits_fail_open_and_pages_render(start_server):
    # Nothing listens on port 9 of loopback: Redis is "down" for this server.
    server = start_server(REDIS_URL="redis://127.0.0.1:9/0")
    for _ in range(7):  # beyond the login limit: nothing is counted while Redis is down
        response = requests.post(
            f"{server}/api/v1/auth/login",
            timeout=10,
            json={"email": "x@example.com", "password": "Wrong-pass1"},
        )
        assert response.status_code == 401
    assert requests.get(f"{server}/login", timeout=10).status_code == 200
    health = requests.get(f"{server}/healthz", timeout=10)
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": "ok", "redis": "unavailable"}


def test_healthz_reports_both(client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_api_answers_neither_read_nor_write_the_session_cookie(client, auth):
    """The API authenticates with tokens and keys only: a signed-in browser's cookie signs
    nobody in there, and no answer sets a cookie."""
    auth.signed_in()  # this client now carries a signed-in session cookie
    assert client.get("/projects").status_code == 200
    assert client.get("/api/v1/projects").status_code == 401
    answer = client.get("/api/v1/projects", headers=auth.headers(email="other@example.com"))
    assert answer.status_code == 200 and "Set-Cookie" not in answer.headers
