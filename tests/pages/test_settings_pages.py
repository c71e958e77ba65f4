"""Settings: profile, password and API keys pages."""
import re

from ..factories import DEFAULT_PASSWORD




def test_profile_name_change(client, auth, app, csrf):
    auth.signed_in(name="Before")
    token = csrf(client.get("/settings/profile"))
    response = client.post("/settings/profile", data={"name": "After", "csrf_token": token},
                           follow_redirects=True)
    assert "Profile saved" in response.get_data(as_text=True)
    assert 'value="After"' in response.get_data(as_text=True)


def test_password_change_signs_out_other_sessions(client, auth, app, csrf):
    auth.signed_in(name="Before")
    other = app.test_client()
    token = csrf(other.get("/login"))
    other.post("/login", data={"email": "user@example.com", "password": DEFAULT_PASSWORD,
                               "csrf_token": token})
    assert other.get("/projects").status_code == 200
    token = csrf(client.get("/settings/password"))
    wrong = client.post("/settings/password", data={
        "current_password": "Wrong123!", "new_password": "NewPassword456!", "csrf_token": token})
    assert wrong.status_code == 400 and "incorrect" in wrong.get_data(as_text=True)
    ok = client.post("/settings/password", data={
        "current_password": DEFAULT_PASSWORD, "new_password": "NewPassword456!",
        "csrf_token": token}, follow_redirects=True)
    assert "Password changed" in ok.get_data(as_text=True)
    assert client.get("/projects").status_code == 200  # this session stays signed in
    assert other.get("/projects").status_code == 302   # the other one does not


def test_ten_wrong_current_passwords_refuse_the_eleventh_even_if_right(client, auth, csrf):
    auth.signed_in()
    token = csrf(client.get("/settings/password"))

    def change(current):
        return client.post("/settings/password", data={
            "current_password": current, "new_password": "NewPassword456!", "csrf_token": token})

    for _ in range(10):
        assert change("Wrong123!").status_code == 400
    refused = change(DEFAULT_PASSWORD)
    assert refused.status_code == 429
    assert "Too many wrong passwords. Try again in 15 minutes." in refused.get_data(as_text=True)
    assert 14 * 60 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert "Password changed" not in client.get("/settings/password").get_data(as_text=True)
    assert auth.tokens(password=DEFAULT_PASSWORD)["access_token"]  # still the old password


def test_api_key_created_shown_once_listed_and_revoked(client, auth, app, csrf):
    auth.signed_in(name="Before")
    token = csrf(client.get("/settings/api-keys"))
    page = client.post("/settings/api-keys", data={"name": "CMS sync", "mode": "live",
                                                   "csrf_token": token}).get_data(as_text=True)
    secret = re.search(r'value="(sk_live_[A-Za-z0-9]+)"', page).group(1)
    assert client.get("/api/v1/projects", headers={"X-API-Key": secret}).status_code == 200
    listing = client.get("/settings/api-keys").get_data(as_text=True)
    assert "CMS sync" in listing and secret not in listing and secret[:14] in listing
    key_id = re.search(r"/settings/api-keys/([0-9a-f]{24})/revoke", listing).group(1)
    assert "cannot be undone" in client.get(f"/settings/api-keys/{key_id}/revoke").get_data(
        as_text=True)
    client.post(f"/settings/api-keys/{key_id}/revoke", data={"csrf_token": token})
    assert client.get("/api/v1/projects", headers={"X-API-Key": secret}).status_code == 401


def test_api_keys_fragment_for_htmx(client, auth, app, csrf):
    auth.signed_in(name="Before")
    token = csrf(client.get("/settings/api-keys"))
    response = client.post("/settings/api-keys", data={"name": "", "mode": "live"},
                           headers={"HX-Request": "true", "HX-Target": "api-keys",
                                    "X-CSRFToken": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in page
    assert 'id="api-keys"' in page and "This field is required" in page
