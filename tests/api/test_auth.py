"""Authentication and users API, as reference 004 documents them."""

from datetime import timedelta

import jwt
import pytest
import requests

from webapp.errors import AppError
from webapp.services import accounts
from webapp.timeutil import epoch, utcnow

from ..factories import DEFAULT_PASSWORD, make_user

REGISTER = {"email": "user@example.com", "password": "SecurePassword123!", "name": "John Doe"}


def test_register_returns_created_user(client):
    response = client.post("/api/v1/auth/register", json=REGISTER)
    assert response.status_code == 201
    body = response.get_json()
    assert body["email"] == "user@example.com" and body["name"] == "John Doe"
    assert body["subscription_tier"] == "free"
    assert body["created_at"].endswith("Z")
    assert "password" not in response.get_data(as_text=True)


def test_register_when_sign_up_is_closed_is_403_and_creates_nobody(client, app, app_config):
    app_config(SIGNUP_MODE="closed")
    response = client.post("/api/v1/auth/register", json=REGISTER)
    assert response.status_code == 403
    detail = response.get_json()["detail"]
    assert detail["code"] == "SIGNUP_CLOSED" and "ask your administrator" in detail["message"]
    with app.app_context():
        assert accounts.find_user_by_email(REGISTER["email"]) is None
        with pytest.raises(AppError, match="Sign-up is closed"):  # no path around it
            accounts.register_user(REGISTER["email"], REGISTER["password"], "Jo")


def test_register_duplicate_email_is_409_email_exists(client, app):
    make_user(app, email="user@example.com")
    response = client.post("/api/v1/auth/register", json={**REGISTER, "email": "User@Example.com"})
    assert response.status_code == 409
    assert response.get_json()["detail"]["code"] == "EMAIL_EXISTS"


def test_register_validation_errors_change_nothing(client, app):
    cases = [
        ({"email": "user@example.com", "name": "J"}, "password"),
        ({**REGISTER, "email": "not-an-email"}, "email"),
        ({**REGISTER, "email": "a" * 250 + "@example.com"}, "email"),
        ({**REGISTER, "password": "short1!"}, "password"),
        ({**REGISTER, "password": "alllowercase123!"}, "password"),
        ({**REGISTER, "password": "NoNumbersHere!"}, "password"),
        ({**REGISTER, "password": "NoSpecial123"}, "password"),
        ({**REGISTER, "name": ""}, "name"),
        ({**REGISTER, "name": "n" * 101}, "name"),
        ({**REGISTER, "name": ["list"]}, "name"),
        ({**REGISTER, "is_admin": True}, "is_admin"),
    ]
    for n, (body, field) in enumerate(cases):
        # Register allows 3 per minute per address: each case comes from its own address.
        response = client.post(
            "/api/v1/auth/register", json=body, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}
        )
        assert response.status_code == 400, body
        detail = response.get_json()["detail"]
        assert detail["code"] == "VALIDATION_ERROR", body
        assert detail["errors"][0]["loc"] == ["body", field], body
    # Each failure changed nothing: the address is still free.
    from webapp.services.accounts import find_user_by_email

    with app.app_context():
        assert find_user_by_email("user@example.com") is None


def test_login_returns_tokens_and_user(client, app):
    make_user(app, email="user@example.com")
    response = client.post(
        "/api/v1/auth/login", json={"email": "user@example.com", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["token_type"] == "bearer"
    assert body["access_token"] and body["refresh_token"]
    assert body["user"]["email"] == "user@example.com"
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 24 * 3600
    refresh = jwt.decode(body["refresh_token"], options={"verify_signature": False})
    assert refresh["exp"] - refresh["iat"] == 30 * 24 * 3600


def test_login_wrong_password_or_unknown_email_is_401(client, app):
    make_user(app, email="user@example.com")
    for email, password in (
        ("user@example.com", "WrongPassword1!"),
        ("nobody@example.com", DEFAULT_PASSWORD),
    ):
        response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert response.status_code == 401
        assert response.get_json()["detail"]["code"] == "INVALID_CREDENTIALS"


def test_login_missing_fields_is_400(client):
    response = client.post("/api/v1/auth/login", json={"email": "user@example.com"})
    assert response.status_code == 400
    assert response.get_json()["detail"]["errors"][0]["loc"] == ["body", "password"]


def test_refresh_rotates_and_old_token_stops_working(client, auth):
    auth.headers()
    first = auth.tokens()
    response = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert response.status_code == 200
    second = response.get_json()
    assert second["refresh_token"] != first["refresh_token"]
    me = client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {second['access_token']}"}
    )
    assert me.status_code == 200
    replay = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    assert replay.get_json()["detail"]["code"] == "TOKEN_INVALID"


def test_access_token_is_not_a_refresh_token(client, auth):
    auth.headers()
    access = auth.tokens()["access_token"]
    response = client.post("/api/v1/auth/refresh", json={"refresh_token": access})
    assert response.status_code == 401
    assert response.get_json()["detail"]["code"] == "TOKEN_INVALID"


def _token(app, user_id, kind, ttl_seconds, version=0, secret=None):
    now = utcnow()
    return jwt.encode(
        {
            "sub": user_id,
            "type": kind,
            "ver": version,
            "iat": epoch(now),
            "exp": epoch(now + timedelta(seconds=ttl_seconds)),
        },
        secret or app.config["SECRET_KEY"],
        algorithm="HS256",
    )


def test_expired_and_forged_tokens(client, app):
    user = make_user(app)
    expired = _token(app, user.id, "access", -10)
    response = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert response.get_json()["detail"]["code"] == "TOKEN_EXPIRED"
    forged = _token(
        app, user.id, "access", 3600, secret="another-secret-that-is-long-enough-for-hs256"
    )
    for token in (forged, "garbage", "a.b.c"):
        response = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert response.get_json()["detail"]["code"] == "TOKEN_INVALID"
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_users_me_with_quota(client, auth):
    response = client.get("/api/v1/users/me", headers=auth.headers())
    body = response.get_json()
    assert response.status_code == 200
    assert body["subscription_tier"] == "free"
    assert body["quota"]["posts_used"] == 0 and body["quota"]["posts_limit"] == 10
    assert body["quota"]["reset_date"].endswith("-01T00:00:00Z")


def test_patch_users_me_updates_name(client, auth):
    headers = auth.headers()
    response = client.patch("/api/v1/users/me", headers=headers, json={"name": "John Updated"})
    assert response.status_code == 200
    assert response.get_json()["name"] == "John Updated"
    assert "updated_at" in response.get_json()
    assert client.patch("/api/v1/users/me", headers=headers, json={"name": ""}).status_code == 400
    assert client.get("/api/v1/users/me", headers=headers).get_json()["name"] == "John Updated"


def test_change_password(client, auth):
    headers = auth.headers()
    old_refresh = auth.tokens()["refresh_token"]
    wrong = client.post(
        "/api/v1/users/change-password",
        headers=headers,
        json={"current_password": "Nope123456!", "new_password": "NewPassword456!"},
    )
    assert wrong.status_code == 400
    weak = client.post(
        "/api/v1/users/change-password",
        headers=headers,
        json={"current_password": DEFAULT_PASSWORD, "new_password": "weak"},
    )
    assert weak.status_code == 400
    assert weak.get_json()["detail"]["errors"][0]["loc"] == ["body", "new_password"]
    ok = client.post(
        "/api/v1/users/change-password",
        headers=headers,
        json={"current_password": DEFAULT_PASSWORD, "new_password": "NewPassword456!"},
    )
    assert ok.status_code == 200
    assert ok.get_json() == {"message": "Password updated successfully"}
    # Tokens issued before the change stop working; the new password signs in.
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401
    assert (
        client.post("/api/v1/auth/refresh", json={"refresh_token": old_refresh}).status_code == 401
    )
    assert auth.tokens(password="NewPassword456!")["access_token"]


def login_from(client, address, email, password, **headers):
    """A sign-in through the API from its own client address (the per-address limit of 5
    a minute would otherwise refuse it before the account's limit is reached)."""
    return client.post(
        "/api/v1/auth/login",
        json={"email": email, "password": password},
        headers=headers,
        environ_base={"REMOTE_ADDR": address},
    )


def fail_ten_sign_ins(client, email):
    for n in range(10):
        response = login_from(client, f"198.51.100.{n}", email, "WrongPassword1!")
        assert response.status_code == 401, n


def assert_locked(response):
    assert response.status_code == 429
    detail = response.get_json()["detail"]
    assert detail["code"] == "RATE_LIMIT_EXCEEDED"
    assert 14 * 60 < detail["retry_after"] <= 15 * 60
    assert int(response.headers["Retry-After"]) == detail["retry_after"]
    return detail


def test_ten_failures_for_an_email_lock_it_even_against_the_right_password(client, app):
    make_user(app, email="user@example.com")
    fail_ten_sign_ins(client, "User@Example.com ")
    refused = login_from(client, "203.0.113.50", "user@example.com", DEFAULT_PASSWORD)
    detail = assert_locked(refused)
    assert "access_token" not in refused.get_data(as_text=True)
    assert "Too many failed sign-in attempts" in detail["message"]
    # Other accounts sign in as before.
    make_user(app, email="other@example.com")
    assert (
        login_from(client, "203.0.113.51", "other@example.com", DEFAULT_PASSWORD).status_code == 200
    )


def test_an_unknown_email_is_locked_in_the_same_words(client, app):
    make_user(app, email="user@example.com")
    fail_ten_sign_ins(client, "user@example.com")
    fail_ten_sign_ins(client, "nobody@example.com")
    known = login_from(client, "203.0.113.60", "user@example.com", DEFAULT_PASSWORD)
    unknown = login_from(client, "203.0.113.61", "nobody@example.com", DEFAULT_PASSWORD)
    known_detail, unknown_detail = assert_locked(known), assert_locked(unknown)
    # Only the wait differs: the known address's failures began a few seconds earlier.
    assert {**known_detail, "retry_after": 0} == {**unknown_detail, "retry_after": 0}
    assert set(known.headers.keys()) == set(unknown.headers.keys())


def test_failures_from_many_proxied_addresses_still_lock_the_account(start_server, app):
    make_user(app, email="user@example.com")
    url = start_server(TRUSTED_PROXIES="1") + "/api/v1/auth/login"
    for n in range(10):
        response = requests.post(
            url,
            json={"email": "user@example.com", "password": "WrongPassword1!"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
            timeout=10,
        )
        assert response.status_code == 401, n
    refused = requests.post(
        url,
        json={"email": "user@example.com", "password": DEFAULT_PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.70"},
        timeout=10,
    )
    assert refused.status_code == 429
    assert refused.json()["detail"]["code"] == "RATE_LIMIT_EXCEEDED"
    assert int(refused.headers["Retry-After"]) == refused.json()["detail"]["retry_after"]


def test_without_trusted_proxies_a_forged_forwarded_for_changes_nothing(client, app):
    """TRUSTED_PROXIES=0 (the test app): rotating X-Forwarded-For does not escape the
    5-a-minute limit of the connection's address."""
    body = {"email": "nobody@example.com", "password": "WrongPassword1!"}
    statuses = [
        client.post(
            "/api/v1/auth/login", json=body, headers={"X-Forwarded-For": f"192.0.2.{n}"}
        ).status_code
        for n in range(6)
    ]
    assert statuses == [401] * 5 + [429]


def test_behind_one_proxy_the_last_forwarded_address_is_the_client(start_server):
    url = start_server(TRUSTED_PROXIES="1") + "/api/v1/auth/login"
    body = {"email": "nobody@example.com", "password": "WrongPassword1!"}

    def login(forwarded_for):
        return requests.post(
            url, json=body, headers={"X-Forwarded-For": forwarded_for}, timeout=10
        ).status_code

    # A forged first entry, different each time, is not the client: the proxy's is.
    statuses = [login(f"192.0.2.{n}, 203.0.113.80") for n in range(6)]
    assert statuses == [401] * 5 + [429]
    # Another client behind the same proxy has its own count.
    assert login("192.0.2.1, 203.0.113.81") == 401
    assert login("203.0.113.81") == 401


def test_ten_wrong_current_passwords_lock_password_changes(client, auth):
    headers = auth.headers()
    change = {"current_password": "Nope123456!", "new_password": "NewPassword456!"}
    for _ in range(10):
        wrong = client.post("/api/v1/users/change-password", headers=headers, json=change)
        assert wrong.status_code == 400
    refused = client.post(
        "/api/v1/users/change-password",
        headers=headers,
        json={**change, "current_password": DEFAULT_PASSWORD},
    )
    assert_locked(refused)
    assert auth.tokens(password=DEFAULT_PASSWORD)["access_token"]  # the password is unchanged


def test_sign_in_works_while_redis_is_down(start_server, app):
    make_user(app, email="user@example.com")
    url = start_server(REDIS_URL="redis://127.0.0.1:9/0") + "/api/v1/auth/login"
    response = requests.post(
        url, json={"email": "user@example.com", "password": DEFAULT_PASSWORD}, timeout=30
    )
    assert response.status_code == 200 and response.json()["access_token"]


def _refresh(client, refresh_token):
    return client.post("/api/v1/auth/refresh", json={"refresh_token": refresh_token})


def _me(client, access_token):
    return client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {access_token}"})


def _assert_token_invalid(response):
    assert response.status_code == 401, response.get_json()
    assert response.get_json()["detail"]["code"] == "TOKEN_INVALID"


def test_logout_revokes_every_token_of_that_sign_in_only(client, auth):
    auth.headers()
    first = auth.tokens()
    later = _refresh(client, first["refresh_token"]).get_json()
    other_sign_in = auth.tokens()
    response = client.post("/api/v1/auth/logout", json={"refresh_token": first["refresh_token"]})
    assert response.status_code == 204 and response.get_data() == b""
    _assert_token_invalid(_refresh(client, first["refresh_token"]))
    _assert_token_invalid(_refresh(client, later["refresh_token"]))
    _assert_token_invalid(_me(client, later["access_token"]))
    assert _me(client, other_sign_in["access_token"]).status_code == 200
    assert _refresh(client, other_sign_in["refresh_token"]).status_code == 200


def test_logout_with_an_unknown_or_revoked_token_is_401(client, auth):
    auth.headers()
    tokens = auth.tokens()
    assert (
        client.post(
            "/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}
        ).status_code
        == 204
    )
    for token in (tokens["refresh_token"], tokens["access_token"], "garbage"):
        _assert_token_invalid(client.post("/api/v1/auth/logout", json={"refresh_token": token}))
    assert client.post("/api/v1/auth/logout", json={}).status_code == 400


def test_logout_is_in_the_openapi_document(client):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/auth/logout"][
        "post"
    ]
    assert "204" in operation["responses"] and "401" in operation["responses"]


def test_replaying_a_rotated_refresh_token_revokes_its_family(client, auth):
    auth.headers()
    stolen = auth.tokens()
    owners = _refresh(client, stolen["refresh_token"]).get_json()
    _assert_token_invalid(_refresh(client, stolen["refresh_token"]))
    # The newer token dies too: the server cannot tell the thief from the owner.
    _assert_token_invalid(_refresh(client, owners["refresh_token"]))
    _assert_token_invalid(_me(client, owners["access_token"]))
    assert auth.tokens()["access_token"]  # signing in again works
