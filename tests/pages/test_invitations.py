"""Invitation pages: the invite form and pending list (admins and the owner), and the page
the mailed link opens: accept, sign in and come back, or sign up and join in one step."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from webapp.extensions import db
from webapp.models import Invitation, Membership, User, Workspace
from webapp.services import accounts, invitations, workspaces
from webapp.services.access import role_in
from webapp.timeutil import utcnow
from webapp.vocabulary import Role

from ..conftest import AuthActions
from ..factories import DEFAULT_PASSWORD, make_user

LINK = re.compile(r"https?://[^/\s]+(/invitations/\S+)")


@pytest.fixture
def team(app, held_mail):
    """Ann owns "Team"; Ed is its editor. Mail waits for outbox.send_here()."""
    ann = make_user(app, email="ann@example.com", name="Ann")
    ed = make_user(app, email="ed@example.com", name="Ed")
    with app.app_context():
        workspace = workspaces.add_workspace(db.session.get(User, ann.id), "Team")
        workspace.memberships.append(Membership(user_id=ed.id, role=Role.EDITOR))
        db.session.commit()
        return type("Team", (), {"ann": ann, "ed": ed, "workspace_id": workspace.id})


def page_url(team) -> str:
    return f"/workspaces/{team.workspace_id}/invitations"


def invite_on_page(client, csrf, team, email="bob@example.com", role="editor"):
    token = csrf(client.get(page_url(team)))
    return client.post(page_url(team), data={"email": email, "role": role, "csrf_token": token})


def mailed_path(outbox) -> str:
    """The link of the last invitation mailed (sent here, in this process)."""
    messages = outbox.send_here()
    return LINK.search(messages[-1].get_content()).group(1)


def invitation_by_admin(app, team, email="bob@example.com", role="editor") -> str:
    """Ann invites `email`; the path of the link (a token issued here)."""
    with app.app_context():
        invitation = invitations.invite(
            db.session.get(Workspace, team.workspace_id),
            db.session.get(User, team.ann.id),
            email,
            role,
        )
        return f"/invitations/{invitations.issue_token(invitation)}"


def role_of(app, team, email) -> str | None:
    with app.app_context():
        user = accounts.find_user_by_email(email)
        return role_in(team.workspace_id, user) if user else None


def text(response) -> str:
    return response.get_data(as_text=True)


def test_admin_invites_sees_pending_resends_and_revokes(client, csrf, auth, app, team, outbox):
    auth.login_page("ann@example.com")
    page = client.get(page_url(team))
    assert page.status_code == 200
    assert 'name="email"' in text(page) and '<select id="role" name="role">' in text(page)
    assert "No pending invitations." in text(page)

    response = invite_on_page(client, csrf, team, email="Bob@Example.com", role="reviewer")
    assert response.status_code == 302 and response.headers["Location"] == page_url(team)
    page = text(client.get(page_url(team)))
    assert "Invitation sent to bob@example.com as reviewer." in page
    assert "bob@example.com" in page and "Resend" in page and "Revoke" in page
    first = mailed_path(outbox)

    with app.app_context():
        invitation_id = db.session.execute(db.select(Invitation.id)).scalar_one()
    action = f"{page_url(team)}/{invitation_id}"
    token = csrf(client.get(page_url(team)))
    response = client.post(f"{action}/resend", data={"csrf_token": token})
    assert response.status_code == 302
    assert "A new invitation link is on its way to bob@example.com." in text(
        client.get(page_url(team))
    )
    second = mailed_path(outbox)
    assert second != first
    assert client.get(first).status_code == 410  # the old link died

    response = client.post(f"{action}/revoke", data={"csrf_token": token})
    assert response.status_code == 302
    page = text(client.get(page_url(team)))
    assert "The invitation of bob@example.com is revoked." in page
    assert "No pending invitations." in page
    assert client.get(second).status_code == 410


def test_the_form_shows_what_is_wrong(client, csrf, auth, team):
    auth.login_page("ann@example.com")
    response = invite_on_page(client, csrf, team, email="not an address")
    assert response.status_code == 400
    assert 'id="email-error"' in text(response) and "Enter a valid email address." in text(response)
    response = invite_on_page(client, csrf, team, role="owner")
    assert response.status_code == 400 and 'id="role-error"' in text(response)
    response = invite_on_page(client, csrf, team, email="ed@example.com")
    assert response.status_code == 409
    assert "ed@example.com is a member of this workspace already." in text(response)


def test_only_admins_and_the_owner_see_the_page(client, auth, app, team):
    auth.login_page("ed@example.com")
    assert client.get(page_url(team)).status_code == 403
    outsider = app.test_client()
    AuthActions(app, outsider).signed_in("out@example.com")
    assert outsider.get(page_url(team)).status_code == 404


def test_a_new_person_signs_up_from_the_link_and_joins(
    client, csrf, auth, app, team, outbox, app_config
):
    auth.login_page("ann@example.com")
    invite_on_page(client, csrf, team, email="bob@example.com")
    path = mailed_path(outbox)
    client.post("/logout", data={"csrf_token": csrf(client.get("/projects"))})
    app_config(SIGNUP_MODE="invite")  # the link's sign-up is allowed all the same

    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    body = text(page)
    assert "Join Team" in body and "Ann invited" in body and "<strong>editor</strong>" in body
    assert 'value="bob@example.com" readonly' in body and "Create account and join" in body
    response = client.post(
        path + "/signup",
        data={"name": "Bob", "password": DEFAULT_PASSWORD, "csrf_token": csrf(page)},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/projects"
    assert "You joined Team as editor." in text(client.get("/projects"))  # signed in
    assert role_of(app, team, "bob@example.com") == "editor"
    with app.app_context():
        assert accounts.find_user_by_email("bob@example.com").email_verified
    assert client.get(path).status_code == 410  # single use


def test_a_weak_password_keeps_the_sign_up_form(client, csrf, app, team):
    path = invitation_by_admin(app, team)
    page = client.get(path)
    response = client.post(
        path + "/signup", data={"name": "Bob", "password": "short", "csrf_token": csrf(page)}
    )
    assert response.status_code == 400 and 'id="password-error"' in text(response)
    with app.app_context():
        assert accounts.find_user_by_email("bob@example.com") is None


def test_someone_with_an_account_signs_in_comes_back_and_accepts(client, csrf, auth, app, team):
    make_user(app, email="bob@example.com", name="Bob")
    path = invitation_by_admin(app, team, role="viewer")
    body = text(client.get(path))
    assert "Sign in to accept" in body and 'name="password"' not in body
    login_url = f"/login?next={path}"
    assert f'href="{login_url}"' in body

    token = csrf(client.get(login_url))
    response = client.post(
        login_url,
        data={"email": "bob@example.com", "password": DEFAULT_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302 and response.headers["Location"] == path
    page = client.get(path)
    assert "Accept and join" in text(page)
    response = client.post(path + "/accept", data={"csrf_token": csrf(page)})
    assert response.status_code == 302 and response.headers["Location"] == "/projects"
    assert "You joined Team as viewer." in text(client.get("/projects"))
    assert role_of(app, team, "bob@example.com") == "viewer"
    again = client.post(path + "/accept", data={"csrf_token": csrf(page)})
    assert again.status_code == 410


def test_signed_in_with_another_address(client, csrf, auth, app, team):
    path = invitation_by_admin(app, team)
    auth.signed_in("eve@example.com")
    page = client.get(path)
    body = text(page)
    assert (
        "You are signed in as eve@example.com, but this invitation is for bob@example.com." in body
    )
    assert "Sign out" in body and "Accept and join" not in body
    response = client.post(path + "/accept", data={"csrf_token": csrf(page)})
    assert response.status_code == 403
    assert role_of(app, team, "eve@example.com") is None


@pytest.mark.parametrize("how", ["unknown", "expired", "revoked"])
def test_a_dead_link_is_a_friendly_410(client, app, team, how):
    path = invitation_by_admin(app, team)
    with app.app_context():
        invitation = db.session.execute(db.select(Invitation)).scalar_one()
        if how == "unknown":
            path = "/invitations/" + "x" * 43
        elif how == "expired":
            invitation.expires_at = utcnow() - timedelta(seconds=1)
            db.session.commit()
        else:
            invitations.revoke(invitation)
    response = client.get(path)
    assert response.status_code == 410
    assert "This invitation is no longer valid" in text(response)


def test_signup_page_under_signup_mode_invite(client, csrf, app, team, app_config):
    invitation_by_admin(app, team)
    app_config(SIGNUP_MODE="invite")
    page = client.get("/signup")
    assert page.status_code == 200 and "by invitation only" in text(page)

    def sign_up(email):
        return client.post(
            "/signup",
            data={
                "name": "X",
                "email": email,
                "password": DEFAULT_PASSWORD,
                "csrf_token": csrf(client.get("/signup")),
            },
        )

    refused = sign_up("eve@example.com")
    assert refused.status_code == 403
    assert "ask a workspace admin to invite your address" in text(refused)
    with app.app_context():
        assert accounts.find_user_by_email("eve@example.com") is None
    assert sign_up("bob@example.com").status_code == 302


def test_under_signup_mode_closed_the_link_asks_for_an_account(client, app, team, app_config):
    path = invitation_by_admin(app, team)
    app_config(SIGNUP_MODE="closed")
    body = text(client.get(path))
    assert "Sign-up is closed on this installation" in body and 'name="password"' not in body
