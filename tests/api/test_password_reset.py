"""POST /auth/password-reset and /auth/password-reset/confirm, through the mail outbox."""
import re
from datetime import timedelta

import jwt
import pytest

from webapp.services import accounts, password_reset
from webapp.timeutil import utcnow

from ..conftest import free_port
from ..factories import DEFAULT_PASSWORD, make_user

REQUEST = "/api/v1/auth/password-reset"
CONFIRM = "/api/v1/auth/password-reset/confirm"
NEW_PASSWORD = "BrandNewPassword456?"
LINK = re.compile(r"(https?://\S+)/reset-password/(\S+)")


def ask_for_reset(client, email="user@example.com", **kwargs):
    response = client.post(REQUEST, json={"email": email}, **kwargs)
    assert response.status_code == 202, response.get_json()
    return response


def mailed_link(outbox) -> tuple[str, str]:
    """(base URL, token) of the one reset link mailed so far."""
    messages = outbox.messages()
    assert len(messages) == 1, [message["Subject"] for message in messages]
    match = LINK.search(messages[0].get_content())
    assert match, messages[0].get_content()
    return match.group(1), match.group(2)


def confirm(client, token, new_password=NEW_PASSWORD):
    return client.post(CONFIRM, json={"token": token, "new_password": new_password})


def login_status(client, password, email="user@example.com") -> int:
    return client.post("/api/v1/auth/login",
                       json={"email": email, "password": password}).status_code


def assert_invalid_token(response):
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["detail"]["code"] == "INVALID_TOKEN"


def test_whole_flow_through_the_mailed_link(client, app, auth, outbox):
    make_user(app, email="user@example.com", name="Ada")
    old_tokens = auth.tokens()
    answer = ask_for_reset(client, email="User@Example.com")
    assert "message" in answer.get_json()
    message = outbox.messages()[0]
    assert message["To"] == "user@example.com"
    assert message["Subject"] == "Reset your Copydesk password"
    assert "Hello Ada" in message.get_content()
    base, token = mailed_link(outbox)
    assert base == "http://localhost"
    assert client.get(f"/reset-password/{token}").status_code == 200  # the page it opens

    response = confirm(client, token)
    assert response.status_code == 200 and response.get_json()["message"]
    assert login_status(client, DEFAULT_PASSWORD) == 401
    assert login_status(client, NEW_PASSWORD) == 200
    # Every token issued before the reset is signed out.
    me = client.get("/api/v1/users/me",
                    headers={"Authorization": f"Bearer {old_tokens['access_token']}"})
    assert me.status_code == 401
    refreshed = client.post("/api/v1/auth/refresh",
                            json={"refresh_token": old_tokens["refresh_token"]})
    assert refreshed.status_code == 401
    # Single use: the same link cannot set the password again.
    assert_invalid_token(confirm(client, token, "AnotherPassword789#"))
    assert login_status(client, NEW_PASSWORD) == 200


def test_unknown_email_gets_the_same_answer_and_no_mail(client, app, outbox):
    make_user(app, email="user@example.com")
    known = ask_for_reset(client, email="user@example.com")
    outbox.clear()
    for email in ("nobody@example.com", "not-an-email"):
        unknown = ask_for_reset(client, email=email)
        assert unknown.get_json() == known.get_json()
        assert unknown.headers["Content-Type"] == known.headers["Content-Type"]
    assert outbox.messages() == []


def test_expired_token_is_refused_and_changes_nothing(client, app):
    user = make_user(app, email="user@example.com")
    with app.app_context():
        account = accounts.get_user(user.id)
        expired = password_reset.issue_reset_token(
            account, issued_at=utcnow() - timedelta(hours=1, seconds=5))
        nearly = password_reset.issue_reset_token(
            account, issued_at=utcnow() - timedelta(minutes=59))
    assert_invalid_token(confirm(client, expired))
    assert login_status(client, DEFAULT_PASSWORD) == 200
    assert confirm(client, nearly).status_code == 200


def test_forged_and_foreign_tokens_are_refused(client, app, auth):
    user = make_user(app, email="user@example.com")
    with app.app_context():
        genuine = password_reset.issue_reset_token(accounts.get_user(user.id))
    claims = jwt.decode(genuine, options={"verify_signature": False})
    forged = jwt.encode(claims, "not-the-secret-key-" * 3, algorithm="HS256")
    access_token = auth.tokens()["access_token"]
    for token in (forged, access_token, genuine[:-3] + "abc", "not-a-token"):
        assert_invalid_token(confirm(client, token))
    assert login_status(client, DEFAULT_PASSWORD) == 200


def test_a_password_change_voids_earlier_links(client, app, auth, outbox):
    make_user(app, email="user@example.com")
    ask_for_reset(client)
    _, token = mailed_link(outbox)
    headers = {"Authorization": f"Bearer {auth.tokens()['access_token']}"}
    changed = client.post("/api/v1/users/change-password", headers=headers, json={
        "current_password": DEFAULT_PASSWORD, "new_password": "ChangedPassword1!"})
    assert changed.status_code == 200
    assert_invalid_token(confirm(client, token))
    assert login_status(client, "ChangedPassword1!") == 200


def test_only_the_newest_reset_matters_once_one_is_used(client, app, outbox):
    make_user(app, email="user@example.com")
    ask_for_reset(client)
    ask_for_reset(client)
    tokens = [LINK.search(message.get_content()).group(2) for message in outbox.messages()]
    assert len(tokens) == 2
    assert confirm(client, tokens[1]).status_code == 200
    assert_invalid_token(confirm(client, tokens[0], "AnotherPassword789#"))


@pytest.mark.parametrize("weak", ["short1!", "alllowercase123!", "NoNumbersHere!",
                                  "NoSpecial123"])
def test_weak_password_is_a_validation_error_and_keeps_the_token(client, app, outbox, weak):
    make_user(app, email="user@example.com")
    ask_for_reset(client)
    _, token = mailed_link(outbox)
    response = confirm(client, token, weak)
    assert response.status_code == 400
    detail = response.get_json()["detail"]
    assert detail["code"] == "VALIDATION_ERROR"
    assert detail["errors"][0]["loc"] == ["body", "new_password"]
    assert login_status(client, DEFAULT_PASSWORD) == 200
    assert confirm(client, token).status_code == 200  # the link still works


def test_malformed_requests_are_validation_errors(client):
    cases = [(REQUEST, {}, "email"),
             (REQUEST, {"email": ""}, "email"),
             (REQUEST, {"email": "user@example.com", "extra": 1}, "extra"),
             (CONFIRM, {"new_password": NEW_PASSWORD}, "token"),
             (CONFIRM, {"token": "", "new_password": NEW_PASSWORD}, "token")]
    for n, (path, body, field) in enumerate(cases):
        response = client.post(path, json=body, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"})
        assert response.status_code == 400, body
        detail = response.get_json()["detail"]
        assert detail["code"] == "VALIDATION_ERROR" and detail["errors"][0]["loc"] == [
            "body", field], body


def test_links_use_base_url_not_the_host_header(client, app, outbox, monkeypatch):
    make_user(app, email="user@example.com")
    monkeypatch.setitem(app.config, "BASE_URL", "https://copydesk.example.com")
    ask_for_reset(client, headers={"Host": "attacker.example"})
    base, _ = mailed_link(outbox)
    assert base == "https://copydesk.example.com"


def test_a_mail_server_failure_does_not_change_the_answer(client, app, outbox, monkeypatch,
                                                          caplog):
    make_user(app, email="user@example.com")
    expected = client.post(REQUEST, json={"email": "nobody@example.com"}).get_json()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
    response = ask_for_reset(client)
    assert response.get_json() == expected
    assert "Password reset mail not sent" in caplog.text
    assert "reset-password/" not in caplog.text  # the token never reaches the log


def test_requests_are_limited_per_address(client, app):
    make_user(app, email="user@example.com")
    statuses = [client.post(REQUEST, json={"email": f"u{n}@example.com"}).status_code
                for n in range(6)]
    assert statuses == [202] * 5 + [429]
    statuses = [confirm(client, "not-a-token").status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    other = client.post(REQUEST, json={"email": "user@example.com"},
                        environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert other.status_code == 202


def test_one_mailbox_cannot_be_flooded_from_many_addresses(client, app, outbox):
    make_user(app, email="user@example.com")
    statuses = [client.post(REQUEST, json={"email": "USER@example.com"},
                            environ_base={"REMOTE_ADDR": f"203.0.113.{n}"}).status_code
                for n in range(6)]
    assert statuses == [202] * 5 + [429]
    assert len(outbox.messages()) == 5


def test_openapi_documents_both_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths[REQUEST]["post"]["responses"]) >= {"202", "400", "429"}
    assert set(paths[CONFIRM]["post"]["responses"]) >= {"200", "400", "429"}
    assert "security" not in paths[REQUEST]["post"]


def test_reset_revokes_every_session_token_and_api_key(client, app, auth, csrf):
    user = make_user(app, email="user@example.com")
    browser = app.test_client()
    token = csrf(browser.get("/login"))
    browser.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD,
                                 "csrf_token": token})
    assert browser.get("/projects").status_code == 200
    tokens = auth.tokens()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    created = client.post("/api/v1/api-keys", headers=bearer, json={"name": "CI"})
    api_key = {"X-API-Key": created.get_json()["key"]}
    assert client.get("/api/v1/projects", headers=api_key).status_code == 200
    with app.app_context():
        reset_token = password_reset.issue_reset_token(accounts.get_user(user.id))

    assert confirm(client, reset_token).status_code == 200
    assert browser.get("/projects").status_code == 302
    assert client.get("/api/v1/users/me", headers=bearer).status_code == 401
    assert client.post("/api/v1/auth/refresh",
                       json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    refused = client.get("/api/v1/projects", headers=api_key)
    assert refused.status_code == 401
    assert refused.get_json()["detail"]["code"] == "INVALID_API_KEY"
