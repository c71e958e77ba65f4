"""The invitations API: invite, list, resend, revoke and accept, through the mail outbox
(and once through the real worker), and SIGNUP_MODE=invite on /auth/register."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from webapp.extensions import db
from webapp.models import Invitation, Membership, User
from webapp.services import workspaces
from webapp.timeutil import utcnow
from webapp.vocabulary import Role

from ..factories import DEFAULT_PASSWORD, make_user

LINK = re.compile(r"(https?://\S+)/invitations/(\S+)")


@pytest.fixture
def team(app, auth):
    """Ann (signed in: `team.headers`) owns "Team"; Ed is its editor."""
    headers = auth.headers("ann@example.com")
    ed = make_user(app, email="ed@example.com", name="Ed")
    with app.app_context():
        ann = db.session.execute(
            db.select(User).where(User.email == "ann@example.com")
        ).scalar_one()
        ann.name = "Ann"
        workspace = workspaces.add_workspace(ann, "Team")
        workspace.memberships.append(Membership(user_id=ed.id, role=Role.EDITOR))
        db.session.commit()
        workspace_id = workspace.id
    return type("Team", (), {"headers": headers, "workspace_id": workspace_id, "ed": ed})


def invitations_url(team) -> str:
    return f"/api/v1/workspaces/{team.workspace_id}/invitations"


def send_invitation(client, team, email="bob@example.com", role="editor"):
    return client.post(
        invitations_url(team), json={"email": email, "role": role}, headers=team.headers
    )


def mailed_tokens(messages) -> list[str]:
    tokens = []
    for message in messages:
        match = LINK.search(message.get_content())
        assert match, message.get_content()
        tokens.append(match.group(2))
    return tokens


def headers_for(auth, email, **fields):
    make_user(auth.app, email=email, **fields)
    return {"Authorization": f"Bearer {auth.tokens(email)['access_token']}"}


def accept(client, token, headers):
    return client.post("/api/v1/invitations/accept", json={"token": token}, headers=headers)


def code_of(response) -> str:
    return response.get_json()["detail"]["code"]


def test_invite_and_accept_through_the_worker(client, app, auth, team, outbox, worker):
    response = send_invitation(client, team, email="Bob@Example.com")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert set(body) == {"id", "email", "role", "invited_by", "expires_at", "created_at"}
    assert body["email"] == "bob@example.com" and body["role"] == "editor"
    assert body["expires_at"].endswith("Z")

    (message,) = outbox.settle()
    assert message["To"] == "bob@example.com"
    match = LINK.search(message.get_content())
    assert match.group(1) == "http://127.0.0.1:8000"  # BASE_URL's default
    token = match.group(2)

    bob = headers_for(auth, "bob@example.com", name="Bob")
    response = accept(client, token, bob)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"workspace_id": team.workspace_id, "role": "editor"}
    # Bob is in: the workspace's projects are his to see.
    assert accept(client, token, bob).status_code == 410
    listed = client.get(invitations_url(team), headers=team.headers).get_json()
    assert listed == {"invitations": [], "total": 0}


def test_accept_with_another_account_is_403_mismatch(client, app, auth, team, outbox, held_mail):
    send_invitation(client, team)
    (token,) = mailed_tokens(outbox.send_here())
    eve = headers_for(auth, "eve@example.com")
    response = accept(client, token, eve)
    assert response.status_code == 403 and code_of(response) == "INVITATION_EMAIL_MISMATCH"


@pytest.mark.parametrize("how", ["twice", "expired", "revoked", "unknown"])
def test_dead_links_are_410(client, app, auth, team, outbox, held_mail, how):
    invitation_id = send_invitation(client, team).get_json()["id"]
    (token,) = mailed_tokens(outbox.send_here())
    bob = headers_for(auth, "bob@example.com")
    if how == "twice":
        assert accept(client, token, bob).status_code == 200
    elif how == "expired":
        with app.app_context():
            db.session.get(Invitation, invitation_id).expires_at = utcnow() - timedelta(minutes=1)
            db.session.commit()
    elif how == "revoked":
        revoked = client.delete(f"/api/v1/invitations/{invitation_id}", headers=team.headers)
        assert revoked.status_code == 204
    else:
        token = "x" * 43
    response = accept(client, token, bob)
    assert response.status_code == 410 and code_of(response) == "INVITATION_EXPIRED"


def test_list_is_pending_only_newest_first_and_paged(client, app, team):
    ids = [
        send_invitation(client, team, email=f"p{i}@example.com").get_json()["id"] for i in range(3)
    ]
    client.delete(f"/api/v1/invitations/{ids[1]}", headers=team.headers)
    listed = client.get(invitations_url(team), headers=team.headers).get_json()
    assert listed["total"] == 2
    assert [i["id"] for i in listed["invitations"]] == [ids[2], ids[0]]
    page = client.get(invitations_url(team) + "?limit=1&offset=1", headers=team.headers)
    assert [i["email"] for i in page.get_json()["invitations"]] == ["p0@example.com"]


def test_resend_is_202_with_a_new_link_the_old_one_dead(client, auth, team, outbox, held_mail):
    invitation_id = send_invitation(client, team).get_json()["id"]
    (old,) = mailed_tokens(outbox.send_here())
    response = client.post(f"/api/v1/invitations/{invitation_id}/resend", headers=team.headers)
    assert response.status_code == 202 and "bob@example.com" in response.get_json()["message"]
    _, new = mailed_tokens(outbox.send_here())
    assert new != old
    bob = headers_for(auth, "bob@example.com")
    assert accept(client, old, bob).status_code == 410
    assert accept(client, new, bob).status_code == 200
    again = client.post(f"/api/v1/invitations/{invitation_id}/resend", headers=team.headers)
    assert again.status_code == 410 and code_of(again) == "INVITATION_EXPIRED"


def test_bad_input_is_400_with_the_field(client, team):
    for payload, field in [
        ({"email": "nope", "role": "editor"}, "email"),
        ({"email": "bob@example.com", "role": "owner"}, "role"),
        ({"email": "bob@example.com", "role": "chief"}, "role"),
        ({"email": "bob@example.com"}, "role"),
    ]:
        response = client.post(invitations_url(team), json=payload, headers=team.headers)
        assert response.status_code == 400, payload
        detail = response.get_json()["detail"]
        assert detail["code"] == "VALIDATION_ERROR"
        assert detail["errors"][0]["loc"] == ["body", field], payload


def test_existing_member_is_409_and_the_51st_pending_is_409(client, app, team):
    response = send_invitation(client, team, email="ed@example.com")
    assert response.status_code == 409 and code_of(response) == "ALREADY_MEMBER"
    with app.app_context():
        db.session.add_all(
            Invitation(
                workspace_id=team.workspace_id,
                email=f"p{i}@example.com",
                role="viewer",
                token_hash=f"{i:064x}",
                invited_by=team.ed.id,
                expires_at=utcnow() + timedelta(days=1),
            )
            for i in range(50)
        )
        db.session.commit()
    response = send_invitation(client, team)
    assert response.status_code == 409 and code_of(response) == "INVITATION_LIMIT_REACHED"


def test_who_may_manage_invitations(client, app, auth, team):
    invitation_id = send_invitation(client, team).get_json()["id"]
    editor = {"Authorization": f"Bearer {auth.tokens('ed@example.com')['access_token']}"}
    outsider = headers_for(auth, "out@example.com")
    calls = [
        ("post", invitations_url(team), {"email": "x@example.com", "role": "viewer"}),
        ("get", invitations_url(team), None),
        ("post", f"/api/v1/invitations/{invitation_id}/resend", None),
        ("delete", f"/api/v1/invitations/{invitation_id}", None),
    ]
    for method, url, payload in calls:
        as_editor = getattr(client, method)(url, json=payload, headers=editor)
        assert as_editor.status_code == 403 and code_of(as_editor) == "INSUFFICIENT_ROLE", url
        as_outsider = getattr(client, method)(url, json=payload, headers=outsider)
        assert as_outsider.status_code == 404, url
        assert code_of(as_outsider) in ("WORKSPACE_NOT_FOUND", "INVITATION_NOT_FOUND")
    assert client.delete("/api/v1/invitations/nope", headers=team.headers).status_code == 404


def test_register_under_signup_mode_invite(client, app, team, app_config, outbox, held_mail):
    send_invitation(client, team)
    app_config(SIGNUP_MODE="invite")
    refused = client.post(
        "/api/v1/auth/register",
        json={"email": "eve@example.com", "password": DEFAULT_PASSWORD, "name": "Eve"},
    )
    assert refused.status_code == 403
    detail = refused.get_json()["detail"]
    assert detail["code"] == "SIGNUP_CLOSED" and "invitation" in detail["message"]
    admitted = client.post(
        "/api/v1/auth/register",
        json={"email": "bob@example.com", "password": DEFAULT_PASSWORD, "name": "Bob"},
    )
    assert admitted.status_code == 201, admitted.get_json()


def test_invitation_mail_is_limited_per_user_pages_and_api_together(
    client, csrf, auth, app, team, outbox, held_mail
):
    invitation_id = send_invitation(client, team).get_json()["id"]
    resend_url = f"/api/v1/invitations/{invitation_id}/resend"
    for _ in range(48):
        assert client.post(resend_url, headers=team.headers).status_code == 202
    auth.login_page("ann@example.com")  # the page's resend counts with the API's
    page = client.get(f"/workspaces/{team.workspace_id}/invitations")
    resent = client.post(
        f"/workspaces/{team.workspace_id}/invitations/{invitation_id}/resend",
        data={"csrf_token": csrf(page)},
    )
    assert resent.status_code == 302
    refused = client.post(resend_url, headers=team.headers)
    assert refused.status_code == 429 and code_of(refused) == "RATE_LIMIT_EXCEEDED"
    assert send_invitation(client, team, email="zed@example.com").status_code == 429
