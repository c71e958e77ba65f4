"""Forgot password and reset password pages: forms with CSRF, the mailed link, redirects."""

import re
from datetime import timedelta

from webapp.services import accounts, password_reset
from webapp.timeutil import utcnow

from ..factories import DEFAULT_PASSWORD, make_user

NEW_PASSWORD = "BrandNewPassword456?"
LINK = re.compile(r"https?://[^/\s]+(/reset-password/\S+)")


def ask_for_link(client, csrf, email="user@example.com"):
    token = csrf(client.get("/forgot-password"))
    return client.post("/forgot-password", data={"email": email, "csrf_token": token})


def mailed_path(outbox) -> str:
    """The path of the one reset link mailed so far, once the worker sent it."""
    messages = outbox.settle()
    assert len(messages) == 1
    return LINK.search(messages[0].get_content()).group(1)


def set_password(client, csrf, path, password=NEW_PASSWORD, repeat=None):
    token = csrf(client.get(path))
    return client.post(
        path,
        data={
            "new_password": password,
            "confirm_password": password if repeat is None else repeat,
            "csrf_token": token,
        },
    )


def sign_in(client, csrf, password=DEFAULT_PASSWORD):
    token = csrf(client.get("/login"))
    return client.post(
        "/login", data={"email": "user@example.com", "password": password, "csrf_token": token}
    )


def test_sign_in_page_links_to_forgot_password(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/forgot-password"' in page and "Forgot your password?" in page


def test_forgot_password_page_has_a_labelled_email_field(client):
    page = client.get("/forgot-password").get_data(as_text=True)
    assert '<label for="email">' in page and 'name="csrf_token"' in page


def test_whole_flow_from_the_forgot_password_page(client, csrf, app, outbox, worker):
    make_user(app, email="user@example.com")
    response = ask_for_link(client, csrf, email="user@example.com")
    assert response.status_code == 302
    assert response.headers["Location"] == "/forgot-password/sent"
    sent = client.get("/forgot-password/sent").get_data(as_text=True)
    assert "Check your email" in sent and "user@example.com" in sent

    path = mailed_path(outbox)
    form = client.get(path)
    assert form.status_code == 200
    assert form.headers["Referrer-Policy"] == "no-referrer"
    assert form.headers["Cache-Control"] == "no-store"
    assert '<label for="new_password">' in form.get_data(as_text=True)
    done = set_password(client, csrf, path)
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    login_page = client.get("/login").get_data(as_text=True)
    assert "Your password has been reset" in login_page

    assert sign_in(client, csrf).status_code == 400
    new = sign_in(client, csrf, NEW_PASSWORD)
    assert new.status_code == 302 and new.headers["Location"] == "/projects"


def test_unknown_email_sees_the_same_confirmation(client, csrf, outbox, worker):
    response = ask_for_link(client, csrf, email="nobody@example.com")
    assert response.status_code == 302
    assert response.headers["Location"] == "/forgot-password/sent"
    assert "Check your email" in client.get("/forgot-password/sent").get_data(as_text=True)
    assert outbox.settle() == []


def test_bad_email_is_shown_next_to_the_field_and_kept(client, csrf, outbox):
    response = ask_for_link(client, csrf, email="not-an-email")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="not-an-email"' in page
    assert re.search(r'id="email-error" class="field-error">[^<]+<', page)
    assert 'aria-invalid="true"' in page
    assert outbox.rows() == [] and outbox.messages() == []


def test_forms_require_csrf(client, csrf, app, outbox):
    make_user(app, email="user@example.com")
    assert client.post("/forgot-password", data={"email": "user@example.com"}).status_code == 400
    assert outbox.rows() == [] and outbox.messages() == []
    with app.app_context():
        token = password_reset.issue_reset_token(accounts.find_user_by_email("user@example.com"))
    response = client.post(
        f"/reset-password/{token}",
        data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert sign_in(client, csrf).status_code == 302


def test_weak_or_mismatched_password_errors_show_next_to_the_field(
    client, csrf, app, outbox, worker
):
    make_user(app, email="user@example.com")
    ask_for_link(client, csrf)
    path = mailed_path(outbox)
    weak = set_password(client, csrf, path, "weak")
    assert weak.status_code == 400
    assert re.search(
        r'id="new_password-error" class="field-error">[^<]*uppercase', weak.get_data(as_text=True)
    )
    differ = set_password(client, csrf, path, NEW_PASSWORD, repeat="SomethingElse1!")
    assert differ.status_code == 400
    assert 'id="confirm_password-error"' in differ.get_data(as_text=True)
    assert set_password(client, csrf, path).status_code == 302  # the link still works


def test_used_expired_and_bogus_links_say_so_and_offer_a_new_one(client, csrf, app, outbox, worker):
    user = make_user(app, email="user@example.com")
    ask_for_link(client, csrf)
    used = mailed_path(outbox)
    assert set_password(client, csrf, used).status_code == 302
    with app.app_context():
        expired = password_reset.issue_reset_token(
            accounts.get_user(user.id), issued_at=utcnow() - timedelta(hours=2)
        )
    for path in (used, f"/reset-password/{expired}", "/reset-password/bogus"):
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, path
        assert "does not work" in page and 'href="/forgot-password"' in page
        assert 'name="new_password"' not in page
    # Posting to a used link changes nothing either.
    token = csrf(client.get("/login"))
    again = client.post(
        used,
        data={
            "new_password": "AnotherPassword789#",
            "confirm_password": "AnotherPassword789#",
            "csrf_token": token,
        },
    )
    assert again.status_code == 400 and "does not work" in again.get_data(as_text=True)
    assert sign_in(client, csrf, NEW_PASSWORD).status_code == 302


def test_a_reset_signs_out_the_other_sessions(client, csrf, app, outbox, worker):
    make_user(app, email="user@example.com")
    other = app.test_client()  # another browser, with its own cookies
    assert sign_in(other, csrf).status_code == 302
    assert other.get("/projects").status_code == 200
    ask_for_link(client, csrf)
    assert set_password(client, csrf, mailed_path(outbox)).status_code == 302
    response = other.get("/projects")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_forged_host_never_reaches_the_mailed_link(client, csrf, app, outbox, worker):
    make_user(app, email="user@example.com")
    forged = {"Host": "evil.example"}
    token = csrf(client.get("/forgot-password", headers=forged))
    response = client.post(
        "/forgot-password", headers=forged, data={"email": "user@example.com", "csrf_token": token}
    )
    assert response.status_code == 302
    (message,) = outbox.settle()
    assert "http://127.0.0.1:8000/reset-password/" in message.get_content()
    assert "evil.example" not in message.as_string()


def test_the_page_and_the_api_share_one_budget_per_mailbox(client, csrf, app, outbox, worker):
    make_user(app, email="user@example.com")
    for n in range(5):
        response = client.post(
            "/api/v1/auth/password-reset",
            json={"email": "user@example.com"},
            environ_base={"REMOTE_ADDR": f"203.0.113.{n}"},
        )
        assert response.status_code == 202
    assert ask_for_link(client, csrf, email="User@example.com").status_code == 429
    assert len(outbox.settle()) == 5
