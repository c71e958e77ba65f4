"""Sign up, sign in and sign out in the browser's terms: forms, CSRF, cookies, redirects."""

import re

from webapp.extensions import db
from webapp.models import Job
from webapp.services import accounts

from ..factories import DEFAULT_PASSWORD, make_project, make_user


def signup(client, csrf, **fields):
    token = csrf(client.get("/signup"))
    data = {
        "name": "Ada",
        "email": "ada@example.com",
        "password": DEFAULT_PASSWORD,
        "csrf_token": token,
        **fields,
    }
    return client.post("/signup", data=data)


def test_signup_signs_in_and_lands_on_dashboard(client, csrf):
    response = signup(client, csrf)
    assert response.status_code == 302 and response.headers["Location"] == "/projects"
    page = client.get("/projects").get_data(as_text=True)
    assert "Welcome to Copydesk, Ada" in page and "No projects yet" in page


def test_signup_errors_keep_input_and_show_next_to_field(client, csrf, app):
    make_user(app, email="taken@example.com")
    response = signup(client, csrf, email="taken@example.com", name="Grace")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There’s already an account for that address." in page and 'value="Grace"' in page
    # sign-up may reveal the address (reference 004): it offers to sign in with it instead
    assert '<a href="/login?email=taken@example.com">Sign in instead?</a>' in page
    login = client.get("/login?email=taken%40example.com").get_data(as_text=True)
    assert 'value="taken@example.com"' in login
    weak = signup(client, csrf, password="weak")
    assert weak.status_code == 400
    assert "must contain an uppercase letter" in weak.get_data(as_text=True)


def test_forms_require_csrf(client):
    response = client.post(
        "/signup", data={"name": "A", "email": "a@example.com", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 400
    assert client.get("/projects").status_code == 302  # not signed in


def test_login_wrong_password_and_success(client, csrf, app, auth):
    make_user(app, email="user@example.com")
    token = csrf(client.get("/login"))
    bad = client.post(
        "/login", data={"email": "user@example.com", "password": "nope", "csrf_token": token}
    )
    assert bad.status_code == 400 and "Invalid email or password" in bad.get_data(as_text=True)
    good = auth.login_page()
    assert good.status_code == 302 and good.headers["Location"] == "/projects"


def test_ten_failed_sign_ins_lock_the_email_with_a_readable_page(client, csrf, app):
    make_user(app, email="user@example.com")
    token = csrf(client.get("/login"))

    def sign_in(address, email, password):
        # Each from its own address: the page's own limit is 10 a minute per address.
        return client.post(
            "/login",
            data={"email": email, "password": password, "csrf_token": token},
            environ_base={"REMOTE_ADDR": address},
        )

    for n in range(10):
        assert sign_in(f"198.51.100.{n}", " User@Example.com", "Wrong123!").status_code == 400
    refused = sign_in("203.0.113.9", "user@example.com", DEFAULT_PASSWORD)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in page
    assert 14 * 60 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert 'name="password"' in page  # the form stays, with its "Forgot your password?" link
    assert client.get("/projects").status_code == 302  # not signed in


def test_login_redirects_only_to_local_next(client, csrf, app):
    make_user(app, email="user@example.com")
    token = csrf(client.get("/login"))
    data = {"email": "user@example.com", "password": DEFAULT_PASSWORD, "csrf_token": token}
    response = client.post("/login?next=//evil.example.com/", data=data)
    assert response.headers["Location"] == "/projects"


def test_session_cookie_flags(client, csrf):
    response = signup(client, csrf)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logout(client, auth, app, csrf):
    make_user(app, email="user@example.com")
    auth.login_page()
    token = csrf(client.get("/projects"))
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/projects").status_code == 302


def test_pages_need_sign_in(client):
    for url in ("/projects", "/settings/profile", "/settings/api-keys"):
        response = client.get(url)
        assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_closed_sign_up_shows_why_and_creates_nobody(client, csrf, app, app_config):
    assert "Create an account" in client.get("/login").get_data(as_text=True)
    assert "Create your account" in client.get("/").get_data(as_text=True)
    app_config(SIGNUP_MODE="closed")
    home = client.get("/").get_data(as_text=True)
    assert "Create your account" not in home and 'href="/signup"' not in home
    page = client.get("/signup")
    text = page.get_data(as_text=True)
    assert page.status_code == 403
    assert "Sign-up is closed on this installation; ask your administrator" in text
    assert 'name="password"' not in text  # no form
    response = client.post(
        "/signup",
        data={
            "name": "Ada",
            "email": "ada@example.com",
            "password": DEFAULT_PASSWORD,
            "csrf_token": csrf(page),
        },
    )
    assert response.status_code == 403 and "Sign-up is closed" in response.get_data(as_text=True)
    with app.app_context():
        assert accounts.find_user_by_email("ada@example.com") is None
    login = client.get("/login").get_data(as_text=True)
    assert "Create an account" not in login and 'href="/signup"' not in login


def test_signing_up_with_verification_required_mails_a_link(
    client, csrf, outbox, held_mail, app_config
):
    app_config(REQUIRE_EMAIL_VERIFICATION=True)
    response = signup(client, csrf)
    assert response.status_code == 302
    page = client.get("/projects").get_data(as_text=True)
    assert "We have emailed a link to ada@example.com" in page
    assert "Please verify your email address" in page
    [message] = outbox.send_here()
    assert message["To"] == "ada@example.com"


def test_mailed_link_page_verifies_once_signed_in_or_not(
    client, auth, outbox, held_mail, app_config
):
    app_config(REQUIRE_EMAIL_VERIFICATION=True)
    auth.signed_in()
    assert "Send a new link" in client.get("/projects").get_data(as_text=True)
    token = verification_token(outbox.send_here()[-1])
    page = client.get(f"/verify-email/{token}")
    assert page.status_code == 200
    assert "user@example.com is confirmed" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "Send a new link" not in client.get("/projects").get_data(as_text=True)
    signed_out = client.application.test_client()
    again = signed_out.get(f"/verify-email/{token}")
    assert again.status_code == 400
    assert "This verification link does not work" in again.get_data(as_text=True)


def test_banner_resend_button_mails_a_new_link_three_times_an_hour(
    client, auth, csrf, outbox, held_mail, app_config
):
    app_config(REQUIRE_EMAIL_VERIFICATION=True)
    auth.signed_in()
    token = csrf(client.get("/projects"))

    def press():
        return client.post("/verify-email/resend?next=/projects", data={"csrf_token": token})

    first = press()
    assert first.status_code == 302 and first.headers["Location"] == "/projects"
    assert "We have emailed you a new verification link" in client.get("/projects").get_data(
        as_text=True
    )
    assert [press().status_code for _ in range(3)] == [302, 302, 429]
    assert len(outbox.send_here()) == 4  # at sign-up, then three resends
    app_config(REQUIRE_EMAIL_VERIFICATION=False)
    assert "Send a new link" not in client.get("/projects").get_data(as_text=True)


def test_new_post_page_tells_an_unverified_user_why_nothing_starts(
    client, app, auth, csrf, app_config
):
    app_config(REQUIRE_EMAIL_VERIFICATION=True)
    project = make_project(app, auth.signed_in())
    page = client.get(f"/projects/{project.id}/posts/new")
    response = client.post(
        f"/projects/{project.id}/posts/new",
        data={
            "topic": "Qubits",
            "voice": "professional",
            "target_length": "medium",
            "channel": "blog",
            "csrf_token": csrf(page),
        },
    )
    assert "Verify your email address first" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Job)).scalar_one() == 0


def verification_token(message) -> str:
    return re.search(r"/verify-email/(\S+)", message.get_content()).group(1)


def _with_cookie(app, name, value):
    """A fresh browser holding only a copy of one cookie."""
    other = app.test_client()
    other.set_cookie(name, value)
    return other


def _sign_out(client, csrf):
    response = client.post("/logout", data={"csrf_token": csrf(client.get("/projects"))})
    assert response.status_code == 302


def test_copied_session_cookie_stops_working_after_sign_out(client, auth, app, csrf):
    auth.signed_in()
    copy = _with_cookie(app, "session", client.get_cookie("session").value)
    assert copy.get("/projects").status_code == 200
    _sign_out(client, csrf)
    response = copy.get("/projects")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_copied_remember_me_cookie_stops_working_after_sign_out(client, app, csrf):
    make_user(app, email="user@example.com")
    token = csrf(client.get("/login"))
    client.post(
        "/login",
        data={
            "email": "user@example.com",
            "password": DEFAULT_PASSWORD,
            "remember": "y",
            "csrf_token": token,
        },
    )
    remembered = client.get_cookie("remember_token").value
    before = _with_cookie(app, "remember_token", remembered)
    assert before.get("/projects").status_code == 200  # the cookie alone signs in
    _sign_out(client, csrf)
    assert _with_cookie(app, "remember_token", remembered).get("/projects").status_code == 302
    assert before.get("/projects").status_code == 302  # and the session it started ended
