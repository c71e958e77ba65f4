"""Sign up, sign in and sign out in the browser's terms: forms, CSRF, cookies, redirects."""
from ..factories import DEFAULT_PASSWORD, make_user


def signup(client, csrf, **fields):
    token = csrf(client.get("/signup"))
    data = {"name": "Ada", "email": "ada@example.com", "password": DEFAULT_PASSWORD,
            "csrf_token": token, **fields}
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
    assert "already exists" in page and 'value="Grace"' in page
    weak = signup(client, csrf, password="weak")
    assert weak.status_code == 400
    assert "must contain an uppercase letter" in weak.get_data(as_text=True)


def test_forms_require_csrf(client):
    response = client.post("/signup", data={"name": "A", "email": "a@example.com",
                                            "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert client.get("/projects").status_code == 302  # not signed in


def test_login_wrong_password_and_success(client, csrf, app, auth):
    make_user(app, email="user@example.com")
    token = csrf(client.get("/login"))
    bad = client.post("/login", data={"email": "user@example.com", "password": "nope",
                                      "csrf_token": token})
    assert bad.status_code == 400 and "Invalid email or password" in bad.get_data(as_text=True)
    good = auth.login_page()
    assert good.status_code == 302 and good.headers["Location"] == "/projects"


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
    client.post("/login", data={"email": "user@example.com", "password": DEFAULT_PASSWORD,
                                "remember": "y", "csrf_token": token})
    remembered = client.get_cookie("remember_token").value
    before = _with_cookie(app, "remember_token", remembered)
    assert before.get("/projects").status_code == 200  # the cookie alone signs in
    _sign_out(client, csrf)
    assert _with_cookie(app, "remember_token", remembered).get("/projects").status_code == 302
    assert before.get("/projects").status_code == 302  # and the session it started ended
