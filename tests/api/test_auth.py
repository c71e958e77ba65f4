"""Authentication and users API, as reference 004 documents them."""
from datetime import timedelta

import jwt

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
        response = client.post("/api/v1/auth/register", json=body,
                               environ_base={"REMOTE_ADDR": f"198.51.100.{n}"})
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
    response = client.post("/api/v1/auth/login",
                           json={"email": "user@example.com", "password": DEFAULT_PASSWORD})
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
    for email, password in (("user@example.com", "WrongPassword1!"),
                            ("nobody@example.com", DEFAULT_PASSWORD)):
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
    me = client.get("/api/v1/users/me",
                    headers={"Authorization": f"Bearer {second['access_token']}"})
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
    return jwt.encode({"sub": user_id, "type": kind, "ver": version, "iat": epoch(now),
                       "exp": epoch(now + timedelta(seconds=ttl_seconds))},
                      secret or app.config["SECRET_KEY"], algorithm="HS256")


def test_expired_and_forged_tokens(client, app):
    user = make_user(app)
    expired = _token(app, user.id, "access", -10)
    response = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert response.get_json()["detail"]["code"] == "TOKEN_EXPIRED"
    forged = _token(app, user.id, "access", 3600, secret="another-secret-that-is-long-enough-for-hs256")
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
    assert client.patch("/api/v1/users/me", headers=headers,
                        json={"name": ""}).status_code == 400
    assert client.get("/api/v1/users/me", headers=headers).get_json()["name"] == "John Updated"


def test_change_password(client, auth):
    headers = auth.headers()
    old_refresh = auth.tokens()["refresh_token"]
    wrong = client.post("/api/v1/users/change-password", headers=headers,
                        json={"current_password": "Nope123456!", "new_password": "NewPassword456!"})
    assert wrong.status_code == 400
    weak = client.post("/api/v1/users/change-password", headers=headers,
                       json={"current_password": DEFAULT_PASSWORD, "new_password": "weak"})
    assert weak.status_code == 400
    assert weak.get_json()["detail"]["errors"][0]["loc"] == ["body", "new_password"]
    ok = client.post("/api/v1/users/change-password", headers=headers,
                     json={"current_password": DEFAULT_PASSWORD, "new_password": "NewPassword456!"})
    assert ok.status_code == 200
    assert ok.get_json() == {"message": "Password updated successfully"}
    # Tokens issued before the change stop working; the new password signs in.
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401
    assert client.post("/api/v1/auth/refresh",
                       json={"refresh_token": old_refresh}).status_code == 401
    assert auth.tokens(password="NewPassword456!")["access_token"]


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
    assert client.post("/api/v1/auth/logout",
                       json={"refresh_token": tokens["refresh_token"]}).status_code == 204
    for token in (tokens["refresh_token"], tokens["access_token"], "garbage"):
        _assert_token_invalid(client.post("/api/v1/auth/logout", json={"refresh_token": token}))
    assert client.post("/api/v1/auth/logout", json={}).status_code == 400


def test_logout_is_in_the_openapi_document(client):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/auth/logout"]["post"]
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
