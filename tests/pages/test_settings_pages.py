"""Settings: profile, password and API keys pages."""

import re

from ..factories import DEFAULT_PASSWORD, make_user


def sign_in(app, csrf, remember=False):
    """A browser of its own, signed in as user@example.com through the form."""
    browser = app.test_client()
    data = {
        "email": "user@example.com",
        "password": DEFAULT_PASSWORD,
        "csrf_token": csrf(browser.get("/login")),
    }
    if remember:
        data["remember"] = "y"
    assert browser.post("/login", data=data).status_code == 302
    return browser


def remembered_only(app, browser):
    """A fresh browser holding nothing but a copy of `browser`'s remember-me cookie."""
    copy = app.test_client()
    copy.set_cookie("remember_token", browser.get_cookie("remember_token").value)
    return copy


def api_tokens(client) -> dict:
    response = client.post(
        "/api/v1/auth/login", json={"email": "user@example.com", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200
    return response.get_json()


def assert_api_signed_out(client, tokens):
    me = client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert me.status_code == 401
    assert (
        client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        ).status_code
        == 401
    )


def test_profile_name_change(client, auth, app, csrf):
    auth.signed_in(name="Before")
    token = csrf(client.get("/settings/profile"))
    response = client.post(
        "/settings/profile", data={"name": "After", "csrf_token": token}, follow_redirects=True
    )
    assert "Profile saved" in response.get_data(as_text=True)
    assert 'value="After"' in response.get_data(as_text=True)


def test_password_change_signs_out_other_sessions(client, auth, app, csrf):
    auth.signed_in(name="Before")
    other = app.test_client()
    token = csrf(other.get("/login"))
    other.post(
        "/login",
        data={"email": "user@example.com", "password": DEFAULT_PASSWORD, "csrf_token": token},
    )
    assert other.get("/projects").status_code == 200
    token = csrf(client.get("/settings/password"))
    wrong = client.post(
        "/settings/password",
        data={
            "current_password": "Wrong123!",
            "new_password": "NewPassword456!",
            "csrf_token": token,
        },
    )
    assert wrong.status_code == 400 and "incorrect" in wrong.get_data(as_text=True)
    ok = client.post(
        "/settings/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "NewPassword456!",
            "csrf_token": token,
        },
        follow_redirects=True,
    )
    assert "Password changed" in ok.get_data(as_text=True)
    assert client.get("/projects").status_code == 200  # this session stays signed in
    assert other.get("/projects").status_code == 302  # the other one does not


def test_ten_wrong_current_passwords_refuse_the_eleventh_even_if_right(client, auth, csrf):
    auth.signed_in()
    token = csrf(client.get("/settings/password"))

    def change(current):
        return client.post(
            "/settings/password",
            data={
                "current_password": current,
                "new_password": "NewPassword456!",
                "csrf_token": token,
            },
        )

    for _ in range(10):
        assert change("Wrong123!").status_code == 400
    refused = change(DEFAULT_PASSWORD)
    assert refused.status_code == 429
    assert "Too many wrong passwords. Try again in 15 minutes." in refused.get_data(as_text=True)
    assert 14 * 60 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert "Password changed" not in client.get("/settings/password").get_data(as_text=True)
    assert auth.tokens(password=DEFAULT_PASSWORD)["access_token"]  # still the old password


def test_password_change_keeps_this_browser_remembered_and_signs_out_the_rest(db, app, csrf):
    make_user(app, email="user@example.com")
    here = sign_in(app, csrf, remember=True)
    elsewhere = sign_in(app, csrf, remember=True)
    tokens = api_tokens(here)
    token = csrf(here.get("/settings/password"))
    changed = here.post(
        "/settings/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "NewPassword456!",
            "csrf_token": token,
        },
    )
    assert changed.status_code == 302
    assert here.get("/projects").status_code == 200
    # This browser's remember-me cookie still signs in after a restart; the others do not.
    assert remembered_only(app, here).get("/projects").status_code == 200
    assert elsewhere.get("/projects").status_code == 302
    assert remembered_only(app, elsewhere).get("/projects").status_code == 302
    assert_api_signed_out(here, tokens)


def test_sessions_page_lists_this_browser_and_offers_sign_out_everywhere(client, auth):
    auth.signed_in()
    page = client.get("/settings/sessions")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "this browser" in text
    assert "Werkzeug/" in text  # the browser that signed in (the test client's User-Agent)
    assert 'hx-post="/settings/sign-out-everywhere"' in text and "hx-confirm=" in text
    confirm_page = client.get("/settings/sign-out-everywhere").get_data(as_text=True)
    assert 'name="csrf_token"' in confirm_page and "this one included" in confirm_page


def test_sign_out_everywhere_ends_every_session_and_token(client, auth, app, csrf):
    auth.signed_in()
    remembered = sign_in(app, csrf, remember=True)
    tokens = api_tokens(client)
    created = client.post(
        "/api/v1/api-keys",
        json={"name": "CI"},
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    ).get_json()
    assert client.post("/settings/sign-out-everywhere", data={}).status_code == 400  # no CSRF
    assert client.get("/projects").status_code == 200
    token = csrf(client.get("/settings/sign-out-everywhere"))
    response = client.post(
        "/settings/sign-out-everywhere", data={"csrf_token": token}, follow_redirects=True
    )
    assert response.request.path == "/login"
    assert "signed out everywhere" in response.get_data(as_text=True)
    assert client.get("/projects").status_code == 302
    assert remembered.get("/projects").status_code == 302
    assert remembered_only(app, remembered).get("/projects").status_code == 302
    assert_api_signed_out(client, tokens)
    # API keys are revoked separately, on their own page.
    assert client.get("/api/v1/projects", headers={"X-API-Key": created["key"]}).status_code == 200


def test_sign_out_everywhere_with_htmx(client, auth, csrf):
    auth.signed_in()
    token = csrf(client.get("/settings/sessions"))
    response = client.post(
        "/settings/sign-out-everywhere", headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert response.status_code == 204 and response.headers["HX-Location"] == "/login"
    assert "signed out everywhere" in client.get("/login").get_data(as_text=True)
    assert client.get("/projects").status_code == 302


def test_api_key_created_shown_once_listed_and_revoked(client, auth, app, csrf):
    auth.signed_in(name="Before")
    token = csrf(client.get("/settings/api-keys"))
    page = client.post(
        "/settings/api-keys", data={"name": "CMS sync", "mode": "live", "csrf_token": token}
    ).get_data(as_text=True)
    secret = re.search(r'value="(sk_live_[A-Za-z0-9]+)"', page).group(1)
    assert client.get("/api/v1/projects", headers={"X-API-Key": secret}).status_code == 200
    listing = client.get("/settings/api-keys").get_data(as_text=True)
    assert "CMS sync" in listing and secret not in listing and secret[:14] in listing
    key_id = re.search(r"/settings/api-keys/([0-9a-f]{24})/revoke", listing).group(1)
    assert "cannot be undone" in client.get(f"/settings/api-keys/{key_id}/revoke").get_data(
        as_text=True
    )
    client.post(f"/settings/api-keys/{key_id}/revoke", data={"csrf_token": token})
    assert client.get("/api/v1/projects", headers={"X-API-Key": secret}).status_code == 401


def test_api_keys_fragment_for_htmx(client, auth, app, csrf):
    auth.signed_in(name="Before")
    token = csrf(client.get("/settings/api-keys"))
    response = client.post(
        "/settings/api-keys",
        data={"name": "", "mode": "live"},
        headers={"HX-Request": "true", "HX-Target": "api-keys", "X-CSRFToken": token},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in page
    assert 'id="api-keys"' in page and "Give the key a name." in page
    assert "This field is required" not in page
