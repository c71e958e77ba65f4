"""Settings → Delete account: confirmed with the password; an owner of a workspace other
people share is shown which ones to hand on first, with a link to their members page."""

from __future__ import annotations

import re

from webapp.extensions import db
from webapp.models import Project, User

from ..factories import DEFAULT_PASSWORD, make_user
from ..team_factories import make_team, make_team_project

URL = "/settings/delete-account"


def test_a_member_deletes_their_account_and_the_team_keeps_the_project(client, auth, app, csrf):
    ann = make_user(app, email="ann@example.com", name="Ann")
    ben = auth.signed_in(email="ben@example.com", name="Ben")
    team = make_team(app, ann, name="Marketing", editor=ben)
    shared = make_team_project(app, ben, team, "Launch")
    page = client.get(URL)
    assert page.status_code == 200
    assert "Delete account" in page.get_data(as_text=True)  # in the settings menu

    response = client.post(
        URL,
        data={"password": DEFAULT_PASSWORD, "csrf_token": csrf(page)},
        follow_redirects=True,
    )

    assert response.request.path == "/login"
    assert "Your account and everything in your own workspaces were deleted." in (
        response.get_data(as_text=True)
    )
    assert client.get("/projects").status_code == 302  # signed out
    with app.app_context():
        assert db.session.get(User, ben.id) is None
        assert db.session.get(Project, shared.id).user_id == ann.id
    # Ann, signing in, still sees the project Ben made in her workspace.
    auth.login_page(email="ann@example.com")
    assert client.get(f"/projects/{shared.id}").status_code == 200
    assert "Launch" in client.get(f"/projects/{shared.id}").get_data(as_text=True)


def test_a_wrong_password_is_shown_next_to_the_field(client, auth, app, csrf):
    ben = auth.signed_in(email="ben@example.com")
    response = client.post(
        URL, data={"password": "Wrong-password1!", "csrf_token": csrf(client.get(URL))}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'id="password-error"[^>]*>Current password is incorrect', page)
    with app.app_context():
        assert db.session.get(User, ben.id) is not None
    assert client.get("/projects").status_code == 200  # still signed in


def test_an_owner_of_a_shared_workspace_is_told_to_transfer_it_first(client, auth, app, csrf):
    ann = auth.signed_in(email="ann@example.com", name="Ann")
    ben = make_user(app, email="ben@example.com")
    team = make_team(app, ann, name="Marketing", viewer=ben)
    make_team(app, ann, name="Alone")

    page = client.get(URL)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "transfer their ownership" in text
    assert f'<a href="/workspaces/{team.id}/members">Marketing</a>' in text
    main = text.split('id="main"', 1)[1]  # the header's switcher names every workspace
    assert "Alone" not in main
    assert 'name="password"' not in text  # nothing to confirm yet

    token = csrf(client.get("/settings/profile"))
    refused = client.post(URL, data={"password": DEFAULT_PASSWORD, "csrf_token": token})
    assert refused.status_code == 409
    assert f"/workspaces/{team.id}/members" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, ann.id) is not None
