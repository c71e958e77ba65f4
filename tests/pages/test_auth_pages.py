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


def test_ten_failed_sign_ins_lock_the_email_with_a_readable_page(client, csrf, app):
    make_user(app, email="user@example.com")
    token = csrf(client.get("/login"))

    def sign_in(address, email, password):
        # Each from its own address: the page's own limit is 10 a minute per address.
        return client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": token},
                           environ_base={"REMOTE_ADDR": address})

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
