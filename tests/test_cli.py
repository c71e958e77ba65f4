"""`flask users create`: the operator adds accounts, also when sign-up is closed."""

import pytest

from webapp.services import accounts

from .conftest import AuthActions
from .factories import DEFAULT_PASSWORD, make_user


@pytest.fixture
def create_user(db, app):
    runner = app.test_cli_runner()

    def create(*options):
        return runner.invoke(args=["users", "create", *options])

    return create


def login_status(client, email, password) -> int:
    return client.post(
        "/api/v1/auth/login", json={"email": email, "password": password}
    ).status_code


def test_creates_a_user_who_signs_in_while_sign_up_is_closed(create_user, client, app_config):
    app_config(SIGNUP_MODE="closed")
    result = create_user(
        "--email",
        "Ops@Example.com",
        "--name",
        "Ops",
        "--password",
        DEFAULT_PASSWORD,
        "--plan",
        "pro",
    )
    assert result.exit_code == 0, result.output
    assert "Created user ops@example.com" in result.output and "plan pro" in result.output
    assert "Password" not in result.output  # chosen, so not printed
    assert login_status(client, "ops@example.com", DEFAULT_PASSWORD) == 200
    me = client.post(
        "/api/v1/auth/login", json={"email": "ops@example.com", "password": DEFAULT_PASSWORD}
    ).get_json()
    assert me["user"]["subscription_tier"] == "pro" and me["user"]["email_verified"]


def test_generates_and_prints_a_password_when_none_is_given(create_user, client):
    result = create_user("--email", "ops@example.com", "--name", "Ops")
    assert result.exit_code == 0, result.output
    password = result.output.split("Password (shown once): ")[1].split()[0]
    assert login_status(client, "ops@example.com", password) == 200


def test_existing_email_weak_password_and_bad_input_fail_clearly(create_user, app):
    make_user(app, email="taken@example.com")
    taken = create_user(
        "--email", "TAKEN@example.com", "--name", "X", "--password", DEFAULT_PASSWORD
    )
    assert taken.exit_code == 1 and "already exists" in taken.output
    weak = create_user("--email", "new@example.com", "--name", "X", "--password", "weak")
    assert weak.exit_code == 1 and "at least 8 characters" in weak.output
    bad = create_user("--email", "not-an-email", "--name", "X")
    assert bad.exit_code == 2 and "--email" in bad.output
    with app.app_context():
        assert accounts.find_user_by_email("new@example.com") is None


def test_verification_follows_the_setting_unless_verified_is_given(
    create_user, app, outbox, held_mail, app_config
):
    app_config(REQUIRE_EMAIL_VERIFICATION=True)
    mailed = create_user("--email", "a@example.com", "--name", "A")
    assert mailed.exit_code == 0, mailed.output
    assert "not verified; a worker will mail a verification link to a@example.com" in mailed.output
    assert [m["To"] for m in outbox.send_here()] == ["a@example.com"]
    trusted = create_user("--email", "b@example.com", "--name", "B", "--verified")
    assert "Email address: verified." in trusted.output
    assert len(outbox.send_here()) == 1
    with app.app_context():
        assert not accounts.find_user_by_email("a@example.com").email_verified
        assert accounts.find_user_by_email("b@example.com").email_verified


@pytest.fixture
def users_command(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["users", *args])


def test_set_plan_changes_the_limits_the_api_reports(users_command, auth, client):
    headers = auth.headers()
    result = users_command("set-plan", "user@example.com", "pro")
    assert result.exit_code == 0, result.output
    assert "plan free -> pro" in result.output
    assert client.get("/api/v1/users/me", headers=headers).get_json()["subscription_tier"] == "pro"
    unknown = users_command("set-plan", "user@example.com", "platinum")
    assert unknown.exit_code == 2 and "platinum" in unknown.output
    nobody = users_command("set-plan", "nobody@example.com", "pro")
    assert nobody.exit_code == 1 and "No user with the email" in nobody.output


def test_disable_refuses_every_way_in_until_enabled(users_command, auth, client, app):
    headers = auth.headers()
    refresh = auth.tokens()["refresh_token"]
    key = client.post("/api/v1/api-keys", json={"name": "ci"}, headers=headers).get_json()["key"]
    pages = app.test_client()
    AuthActions(app, pages).login_page()
    assert pages.get("/projects").status_code == 200

    result = users_command("disable", "user@example.com")
    assert result.exit_code == 0 and "disabled" in result.output

    assert client.get("/api/v1/projects", headers=headers).status_code == 401
    assert client.get("/api/v1/projects", headers={"X-API-Key": key}).status_code == 401
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": refresh}).status_code == 401
    assert pages.get("/projects").status_code == 302  # signed out: to the sign-in page
    login = client.post(
        "/api/v1/auth/login", json={"email": "user@example.com", "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 403
    assert login.get_json()["detail"]["code"] == "ACCOUNT_DISABLED"
    wrong = client.post(
        "/api/v1/auth/login", json={"email": "user@example.com", "password": "Wrong-password-1"}
    )
    assert wrong.get_json()["detail"]["code"] == "INVALID_CREDENTIALS"  # nothing told
    page_login = AuthActions(app, app.test_client()).login_page()
    assert page_login.status_code == 400 and b"has been disabled" in page_login.data

    assert users_command("enable", "user@example.com").exit_code == 0
    assert client.get("/api/v1/projects", headers={"X-API-Key": key}).status_code == 200
    assert login_status(client, "user@example.com", DEFAULT_PASSWORD) == 200
