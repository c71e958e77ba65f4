"""POST /auth/password-reset and /auth/password-reset/confirm, through the mail outbox
and the worker that sends it."""

import re
from datetime import timedelta

import jwt
import pytest
import requests

from webapp.services import accounts, password_reset
from webapp.timeutil import utcnow

from ..conftest import launch_worker, stop_process
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
    """(base URL, token) of the one reset link mailed so far, once the worker sent it."""
    messages = outbox.settle()
    assert len(messages) == 1, [message["Subject"] for message in messages]
    match = LINK.search(messages[0].get_content())
    assert match, messages[0].get_content()
    return match.group(1), match.group(2)


def confirm(client, token, new_password=NEW_PASSWORD):
    return client.post(CONFIRM, json={"token": token, "new_password": new_password})


def login_status(client, password, email="user@example.com") -> int:
    return client.post(
        "/api/v1/auth/login", json={"email": email, "password": password}
    ).status_code


def assert_invalid_token(response):
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["detail"]["code"] == "INVALID_TOKEN"


def test_whole_flow_through_the_mailed_link(client, app, auth, outbox, worker):
    make_user(app, email="user@example.com", name="Ada")
    old_tokens = auth.tokens()
    answer = ask_for_reset(client, email="User@Example.com")
    assert "message" in answer.get_json()
    base, token = mailed_link(outbox)
    message = outbox.messages()[0]
    assert message["To"] == "user@example.com"
    assert message["Subject"] == "Reset your Copydesk password"
    assert "Hello Ada" in message.get_content()
    assert "signs you out everywhere and\nrevokes your API keys" in message.get_content()
    assert base == "http://127.0.0.1:8000"  # BASE_URL is unset: the fixed default
    assert client.get(f"/reset-password/{token}").status_code == 200  # the page it opens

    response = confirm(client, token)
    assert response.status_code == 200 and response.get_json()["message"]
    assert login_status(client, DEFAULT_PASSWORD) == 401
    assert login_status(client, NEW_PASSWORD) == 200
    # Every token issued before the reset is signed out.
    me = client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {old_tokens['access_token']}"}
    )
    assert me.status_code == 401
    refreshed = client.post(
        "/api/v1/auth/refresh", json={"refresh_token": old_tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401
    # Single use: the same link cannot set the password again.
    assert_invalid_token(confirm(client, token, "AnotherPassword789#"))
    assert login_status(client, NEW_PASSWORD) == 200


def test_unknown_email_gets_the_same_answer_and_no_mail(client, app, outbox, worker):
    make_user(app, email="user@example.com")
    known = ask_for_reset(client, email="user@example.com")
    assert len(outbox.settle()) == 1
    outbox.clear()
    for email in ("nobody@example.com", "not-an-email"):
        unknown = ask_for_reset(client, email=email)
        assert unknown.get_json() == known.get_json()
        assert unknown.headers["Content-Type"] == known.headers["Content-Type"]
    assert outbox.settle() == []
    assert [row.status for row in outbox.rows()] == ["sent"]  # the others were dropped


def test_the_request_does_the_same_work_for_known_and_unknown_addresses(
    client, app, outbox, held_mail, redis_client
):
    make_user(app, email="user@example.com")
    ask_for_reset(client, email=" User@Example.com ")
    ask_for_reset(client, email="nobody@example.com")
    # Nothing is written or sent while answering: one outbox row and one queued task each.
    assert outbox.messages() == []
    rows = outbox.rows()
    assert [(row.kind, row.recipient, row.status, row.body) for row in rows] == [
        ("password_reset", "user@example.com", "pending", None),
        ("password_reset", "nobody@example.com", "pending", None),
    ]
    assert redis_client.llen(f"rq:queue:{app.config['REDIS_KEY_PREFIX']}-default") == 2
    # The worker's side: the known address gets the mail, the unknown row is dropped.
    messages = outbox.send_here()
    assert [message["To"] for message in messages] == ["user@example.com"]
    assert [(row.recipient, row.status, row.body) for row in outbox.rows()] == [
        ("user@example.com", "sent", None)
    ]


def test_expired_token_is_refused_and_changes_nothing(client, app):
    user = make_user(app, email="user@example.com")
    with app.app_context():
        account = accounts.get_user(user.id)
        expired = password_reset.issue_reset_token(
            account, issued_at=utcnow() - timedelta(hours=1, seconds=5)
        )
        nearly = password_reset.issue_reset_token(
            account, issued_at=utcnow() - timedelta(minutes=59)
        )
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


def test_a_password_change_voids_earlier_links(client, app, auth, outbox, worker):
    make_user(app, email="user@example.com")
    ask_for_reset(client)
    _, token = mailed_link(outbox)
    headers = {"Authorization": f"Bearer {auth.tokens()['access_token']}"}
    changed = client.post(
        "/api/v1/users/change-password",
        headers=headers,
        json={"current_password": DEFAULT_PASSWORD, "new_password": "ChangedPassword1!"},
    )
    assert changed.status_code == 200
    assert_invalid_token(confirm(client, token))
    assert login_status(client, "ChangedPassword1!") == 200


def test_only_the_newest_reset_matters_once_one_is_used(client, app, outbox, held_mail):
    make_user(app, email="user@example.com")
    ask_for_reset(client)
    outbox.send_here()
    ask_for_reset(client)
    tokens = [LINK.search(message.get_content()).group(2) for message in outbox.send_here()]
    assert len(tokens) == 2
    assert confirm(client, tokens[1]).status_code == 200
    assert_invalid_token(confirm(client, tokens[0], "AnotherPassword789#"))


@pytest.mark.parametrize("weak", ["short1!", "alllowercase123!", "NoNumbersHere!", "NoSpecial123"])
def test_weak_password_is_a_validation_error_and_keeps_the_token(client, app, outbox, worker, weak):
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
    cases = [
        (REQUEST, {}, "email"),
        (REQUEST, {"email": ""}, "email"),
        (REQUEST, {"email": "user@example.com", "extra": 1}, "extra"),
        (CONFIRM, {"new_password": NEW_PASSWORD}, "token"),
        (CONFIRM, {"token": "", "new_password": NEW_PASSWORD}, "token"),
    ]
    for n, (path, body, field) in enumerate(cases):
        response = client.post(path, json=body, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"})
        assert response.status_code == 400, body
        detail = response.get_json()["detail"]
        assert detail["code"] == "VALIDATION_ERROR" and detail["errors"][0]["loc"] == [
            "body",
            field,
        ], body


def test_a_forged_host_never_reaches_the_link_without_base_url(client, app, outbox, worker):
    make_user(app, email="user@example.com")
    ask_for_reset(client, headers={"Host": "evil.example"})
    base, _ = mailed_link(outbox)
    assert base == "http://127.0.0.1:8000"
    assert "evil.example" not in outbox.messages()[0].as_string()


def test_a_forged_host_never_reaches_the_link_with_base_url(
    client, app, outbox, held_mail, monkeypatch
):
    make_user(app, email="user@example.com")
    monkeypatch.setitem(app.config, "BASE_URL", "https://copydesk.example.com/")
    ask_for_reset(client, headers={"Host": "evil.example"})
    (message,) = outbox.send_here()
    assert LINK.search(message.get_content()).group(1) == "https://copydesk.example.com"
    assert "evil.example" not in message.as_string()


def test_the_worker_mails_a_working_link_under_base_url(start_stack, app, outbox):
    server, _ = start_stack(BASE_URL="https://copydesk.example.com", SECRET_KEY="k" * 40)
    make_user(app, email="user@example.com")
    answer = requests.post(
        server + REQUEST,
        json={"email": "user@example.com"},
        timeout=10,
        headers={"Host": "evil.example"},
    )
    assert answer.status_code == 202
    base, token = mailed_link(outbox)
    assert base == "https://copydesk.example.com"
    assert "evil.example" not in outbox.messages()[0].as_string()
    assert requests.get(f"{server}/reset-password/{token}", timeout=10).status_code == 200
    done = requests.post(
        server + CONFIRM, json={"token": token, "new_password": NEW_PASSWORD}, timeout=10
    )
    assert done.status_code == 200, done.text


def test_with_the_queue_down_every_request_is_answered_and_mailed_later(
    start_server, database_url, app, outbox, tmp_path
):
    # Nothing listens on port 9 of loopback: Redis is down for this web server.
    server = start_server(REDIS_URL="redis://127.0.0.1:9/0")
    make_user(app, email="user@example.com")
    for email in ("user@example.com", "nobody@example.com"):
        response = requests.post(server + REQUEST, json={"email": email}, timeout=10)
        assert response.status_code == 202, response.text
    browser = requests.Session()
    form = browser.get(f"{server}/forgot-password", timeout=10).text
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    sent = browser.post(
        f"{server}/forgot-password",
        timeout=10,
        data={"email": "user@example.com", "csrf_token": csrf},
    )
    assert sent.status_code == 200 and sent.url.endswith("/forgot-password/sent")
    assert "Check your email" in sent.text
    assert [(row.recipient, row.status) for row in outbox.rows()] == [
        ("user@example.com", "pending"),
        ("nobody@example.com", "pending"),
        ("user@example.com", "pending"),
    ]
    assert outbox.messages() == []
    # A worker on a working Redis (its own queue) sends what waited, as soon as it starts.
    worker = launch_worker(
        database_url,
        tmp_path / "worker.log",
        SECRET_KEY="s" * 32,
        REDIS_KEY_PREFIX=f"{app.config['REDIS_KEY_PREFIX']}-back",
    )
    messages = outbox.settle()
    assert [message["To"] for message in messages] == ["user@example.com"] * 2
    token = LINK.search(messages[0].get_content()).group(2)
    assert requests.get(f"{server}/reset-password/{token}", timeout=10).status_code == 200
    stop_process(worker)


def test_an_address_that_grows_when_case_folded_is_answered_like_any(client, outbox, held_mail):
    ask_for_reset(client, email="İ" * 255)  # 510 characters once lower-cased
    assert [len(row.recipient) for row in outbox.rows()] == [255]


def test_requests_are_limited_per_address(client, app):
    make_user(app, email="user@example.com")
    statuses = [
        client.post(REQUEST, json={"email": f"u{n}@example.com"}).status_code for n in range(6)
    ]
    assert statuses == [202] * 5 + [429]
    statuses = [confirm(client, "not-a-token").status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    other = client.post(
        REQUEST, json={"email": "user@example.com"}, environ_base={"REMOTE_ADDR": "203.0.113.9"}
    )
    assert other.status_code == 202


def test_one_mailbox_cannot_be_flooded_from_many_addresses(client, app, outbox, worker):
    make_user(app, email="user@example.com")
    statuses = [
        client.post(
            REQUEST,
            json={"email": "USER@example.com"},
            environ_base={"REMOTE_ADDR": f"203.0.113.{n}"},
        ).status_code
        for n in range(6)
    ]
    assert statuses == [202] * 5 + [429]
    assert len(outbox.settle()) == 5


def test_openapi_documents_both_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths[REQUEST]["post"]["responses"]) >= {"202", "400", "429"}
    assert set(paths[CONFIRM]["post"]["responses"]) >= {"200", "400", "429"}
    assert "security" not in paths[REQUEST]["post"]


def test_reset_revokes_every_session_token_and_api_key(client, app, auth, csrf):
    user = make_user(app, email="user@example.com")
    browser = app.test_client()
    token = csrf(browser.get("/login"))
    browser.post(
        "/login", data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token}
    )
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
    assert (
        client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        ).status_code
        == 401
    )
    refused = client.get("/api/v1/projects", headers=api_key)
    assert refused.status_code == 401
    assert refused.get_json()["detail"]["code"] == "INVALID_API_KEY"


def test_a_reset_lifts_the_lock_of_failed_sign_ins(client, app):
    """Ten wrong passwords lock the email for 15 minutes; the owner who proves the mailbox
    by a reset signs in at once with the new password."""
    user = make_user(app, email="user@example.com")
    for n in range(10):
        response = client.post(
            "/api/v1/auth/login",
            environ_base={"REMOTE_ADDR": f"198.51.100.{n}"},
            json={"email": "user@example.com", "password": "Wrong-pass-1"},
        )
        assert response.status_code == 401
    locked = client.post(
        "/api/v1/auth/login",
        environ_base={"REMOTE_ADDR": "198.51.100.50"},
        json={"email": "user@example.com", "password": DEFAULT_PASSWORD},
    )
    assert locked.status_code == 429
    with app.app_context():
        token = password_reset.issue_reset_token(accounts.get_user(user.id))
    assert confirm(client, token).status_code == 200
    again = client.post(
        "/api/v1/auth/login",
        environ_base={"REMOTE_ADDR": "198.51.100.51"},
        json={"email": "user@example.com", "password": NEW_PASSWORD},
    )
    assert again.status_code == 200, again.get_json()
