"""services.invitations against the real database: inviting (checks, refresh, the 50
pending cap), the mail written at send time, accepting once (also in parallel), resend
and revoke, and SIGNUP_MODE=invite."""

from __future__ import annotations

import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest

from webapp.errors import AppError, ErrorCode
from webapp.extensions import db
from webapp.models import ActivityEvent, Invitation, Membership, OutboxMessage, User, Workspace
from webapp.services import access, accounts, invitations, workspaces
from webapp.services.access import InsufficientRole, Permission
from webapp.timeutil import utcnow
from webapp.vocabulary import Activity, Role

from ..factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def team(app, held_mail):
    """Ann owns the workspace "Team"; Ed is its editor. Mail waits for send_here()."""
    ann = make_user(app, email="ann@example.com", name="Ann")
    ed = make_user(app, email="ed@example.com", name="Ed")
    with app.app_context():
        owner = db.session.get(User, ann.id)
        workspace = workspaces.add_workspace(owner, "Team")
        workspace.memberships.append(Membership(user_id=ed.id, role=Role.EDITOR))
        db.session.commit()
        return SimpleNamespace(ann=ann, ed=ed, workspace_id=workspace.id)


def invite(app, team, email="bob@example.com", role="editor", actor=None):
    with app.app_context():
        workspace = db.session.get(Workspace, team.workspace_id)
        user = db.session.get(User, (actor or team.ann).id)
        invitation = invitations.invite(workspace, user, email, role)
        return invitation.id


def token_for(app, invitation_id) -> str:
    with app.app_context():
        return invitations.issue_token(db.session.get(Invitation, invitation_id))


def accept(app, token, user):
    with app.app_context():
        membership = invitations.accept(token, db.session.get(User, user.id))
        return membership.workspace_id, membership.role


def error_of(call, *args, **kwargs) -> AppError:
    with pytest.raises(AppError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_invite_stores_only_a_hash_and_records_the_event(app, team):
    invitation_id = invite(app, team, email="  Bob@Example.COM ")
    with app.app_context():
        invitation = db.session.get(Invitation, invitation_id)
        assert invitation.email == "bob@example.com" and invitation.role == "editor"
        assert invitation.invited_by == team.ann.id
        assert len(invitation.token_hash) == 64
        assert timedelta(days=6, hours=23) < invitation.expires_at - utcnow() <= timedelta(days=7)
        event = db.session.execute(db.select(ActivityEvent)).scalars().all()[-1]
        assert event.action == Activity.INVITATION_SENT
        assert event.summary == "Ann invited bob@example.com as editor"
        (row,) = db.session.execute(
            db.select(OutboxMessage).where(OutboxMessage.kind == "invitation")
        ).scalars()
        assert row.recipient == "bob@example.com" and row.body == invitation_id


def test_the_mail_holds_a_link_issued_when_it_is_written(app, team, outbox):
    invitation_id = invite(app, team)
    (message,) = outbox.send_here()
    assert message["To"] == "bob@example.com"
    assert message["Subject"] == "You are invited to join Team on Copydesk"
    text = message.get_content()
    assert "Ann (ann@example.com) invited you" in text and "as editor" in text
    link = next(line for line in text.splitlines() if "/invitations/" in line)
    token = link.rsplit("/", 1)[1]
    assert link == f"http://127.0.0.1:8000/invitations/{token}"
    with app.app_context():  # only its hash is kept; the outbox row is gone
        assert db.session.get(Invitation, invitation_id).token_hash == invitations.hash_token(token)
        assert all(token not in (row.body or "") for row in outbox.rows())
    bob = make_user(app, email="bob@example.com", name="Bob")
    assert accept(app, token, bob) == (team.workspace_id, "editor")


def test_a_revoked_invitation_sends_no_mail(app, team, outbox):
    invitation_id = invite(app, team)
    with app.app_context():
        invitations.revoke(db.session.get(Invitation, invitation_id))
    assert outbox.send_here() == []


def test_accept_joins_once_verifies_and_records(app, team, app_config):
    app_config(REQUIRE_EMAIL_VERIFICATION=True)
    bob = make_user(app, email="bob@example.com", name="Bob")
    with app.app_context():
        assert db.session.get(User, bob.id).email_verified_at is None
    token = token_for(app, invite(app, team, role="reviewer"))
    app_config(REQUIRE_EMAIL_VERIFICATION=False)
    assert accept(app, token, bob) == (team.workspace_id, "reviewer")
    with app.app_context():
        user = db.session.get(User, bob.id)
        assert user.email_verified_at is not None
        assert access.role_in(team.workspace_id, user) == "reviewer"
        events = [
            e.summary
            for e in db.session.execute(
                db.select(ActivityEvent).where(ActivityEvent.action == Activity.MEMBER_JOINED)
            ).scalars()
        ]
        assert events == ["Bob joined as reviewer"]
    again = error_of(lambda: accept(app, token, bob))
    assert again.code == ErrorCode.INVITATION_EXPIRED and again.status == 410


def test_accept_with_another_address_is_a_mismatch(app, team):
    token = token_for(app, invite(app, team))
    eve = make_user(app, email="eve@example.com")
    error = error_of(lambda: accept(app, token, eve))
    assert error.code == ErrorCode.INVITATION_EMAIL_MISMATCH and error.status == 403
    bob = make_user(app, email="bob@example.com")
    assert accept(app, token, bob)[1] == "editor"  # still usable by the invited address


@pytest.mark.parametrize("how", ["expired", "revoked", "unknown", "replaced"])
def test_dead_tokens_are_gone(app, team, how):
    invitation_id = invite(app, team)
    token = token_for(app, invitation_id)
    bob = make_user(app, email="bob@example.com")
    with app.app_context():
        invitation = db.session.get(Invitation, invitation_id)
        if how == "expired":
            invitation.expires_at = utcnow() - timedelta(seconds=1)
            db.session.commit()
        elif how == "revoked":
            invitations.revoke(invitation)
        elif how == "unknown":
            token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        else:
            invitations.resend(invitation)
    error = error_of(lambda: accept(app, token, bob))
    assert error.code == ErrorCode.INVITATION_EXPIRED


def test_an_existing_member_just_uses_it_up(app, team):
    token = token_for(app, invite(app, team, email="bob@example.com"))
    bob = make_user(app, email="bob@example.com")
    with app.app_context():
        db.session.add(Membership(workspace_id=team.workspace_id, user_id=bob.id, role="viewer"))
        db.session.commit()
    assert accept(app, token, bob) == (team.workspace_id, "viewer")
    with app.app_context():
        invitation = db.session.execute(db.select(Invitation)).scalar_one()
        assert invitation.accepted_at is not None


def test_bad_input_names_the_field(app, team):
    for email, role, field in [
        ("not-an-address", "editor", "email"),
        ("", "editor", "email"),
        ("b" * 250 + "@example.com", "editor", "email"),
        ("bob@example.com", "owner", "role"),
        ("bob@example.com", "boss", "role"),
    ]:
        error = error_of(invite, app, team, email=email, role=role)
        assert error.code == ErrorCode.VALIDATION_ERROR, (email, role)
        assert error.errors[0]["loc"] == ["body", field]


def test_inviting_a_member_is_409_already_member(app, team):
    error = error_of(lambda: invite(app, team, email="ED@example.com"))
    assert error.code == ErrorCode.ALREADY_MEMBER and error.status == 409


def test_only_managers_invite(app, team):
    error = error_of(lambda: invite(app, team, actor=team.ed))
    assert isinstance(error, InsufficientRole)


def test_a_pending_invitation_is_refreshed_not_duplicated(app, team, outbox):
    first = invite(app, team, role="viewer")
    second = invite(app, team, email="BOB@example.com", role="admin")
    assert first == second
    with app.app_context():
        (invitation,) = db.session.execute(db.select(Invitation)).scalars()
        assert invitation.role == "admin"
    assert len(outbox.send_here()) == 1  # the unsent first mail was replaced


def test_the_fifty_first_pending_invitation_is_refused(app, team):
    with app.app_context():
        now = utcnow()
        db.session.add_all(
            Invitation(
                workspace_id=team.workspace_id,
                email=f"p{i}@example.com",
                role="viewer",
                token_hash=f"{i:064x}",
                invited_by=team.ann.id,
                expires_at=now + timedelta(days=1),
            )
            for i in range(50)
        )
        # Neither an expired nor a revoked one counts.
        db.session.add(
            Invitation(
                workspace_id=team.workspace_id,
                email="old@example.com",
                role="viewer",
                token_hash="f" * 64,
                invited_by=team.ann.id,
                expires_at=now - timedelta(days=1),
            )
        )
        db.session.commit()
    error = error_of(lambda: invite(app, team))
    assert error.code == ErrorCode.INVITATION_LIMIT_REACHED and error.status == 409
    invite(app, team, email="p7@example.com", role="admin")  # refreshing one is fine
    with app.app_context():
        workspace = db.session.get(Workspace, team.workspace_id)
        page = invitations.list_pending(workspace, limit=10)
        assert page.total == 50 and len(page.items) == 10


def test_get_invitation_or_404(app, team):
    invitation_id = invite(app, team)
    outsider = make_user(app, email="out@example.com")
    with app.app_context():
        ann = db.session.get(User, team.ann.id)
        assert invitations.get_invitation_or_404(invitation_id, ann).id == invitation_id
        stranger = db.session.get(User, outsider.id)
        error = error_of(invitations.get_invitation_or_404, invitation_id, stranger)
        assert error.code == ErrorCode.INVITATION_NOT_FOUND
        for missing in ("nope", "507f1f77bcf86cd799439017"):
            error = error_of(invitations.get_invitation_or_404, missing, ann)
            assert error.code == ErrorCode.INVITATION_NOT_FOUND
        ed = db.session.get(User, team.ed.id)
        error = error_of(lambda: invitations.get_invitation_or_404(invitation_id, ed))
        assert error.code == ErrorCode.INSUFFICIENT_ROLE
        assert invitations.get_invitation_or_404(invitation_id, ed, Permission.READ)


def test_resend_and_revoke_after_acceptance(app, team):
    invitation_id = invite(app, team)
    bob = make_user(app, email="bob@example.com")
    accept(app, token_for(app, invitation_id), bob)
    with app.app_context():
        invitation = db.session.get(Invitation, invitation_id)
        assert error_of(lambda: invitations.resend(invitation)).code == "INVITATION_EXPIRED"
        assert error_of(lambda: invitations.revoke(invitation)).code == "INVITATION_EXPIRED"


def test_an_expired_invitation_can_be_resent(app, team):
    invitation_id = invite(app, team)
    with app.app_context():
        invitation = db.session.get(Invitation, invitation_id)
        invitation.expires_at = utcnow() - timedelta(days=1)
        db.session.commit()
        invitations.resend(invitation)
        assert invitation.expires_at > utcnow() + timedelta(days=6)
    bob = make_user(app, email="bob@example.com")
    assert accept(app, token_for(app, invitation_id), bob)[1] == "editor"


def test_signup_mode_invite_admits_invited_addresses_only(app, team, app_config):
    invitation_id = invite(app, team)
    app_config(SIGNUP_MODE="invite")
    with app.app_context():
        error = error_of(lambda: accounts.register_user("eve@example.com", DEFAULT_PASSWORD, "E"))
        assert error.code == ErrorCode.SIGNUP_CLOSED and "invitation" in error.message
        user = accounts.register_user("Bob@example.com", DEFAULT_PASSWORD, "Bob")
        assert user.email == "bob@example.com"
        invitations.revoke(db.session.get(Invitation, invitation_id))
        error = error_of(lambda: accounts.register_user("bob2@example.com", DEFAULT_PASSWORD, "B"))
        assert error.code == ErrorCode.SIGNUP_CLOSED


def test_parallel_accepts_join_once(app, team, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("row locking between connections: Postgres")
    token = token_for(app, invite(app, team))
    bob = make_user(app, email="bob@example.com")
    parallel = 8
    barrier = threading.Barrier(parallel)
    outcomes: list = [None] * parallel

    def run(index: int) -> None:
        with app.app_context():
            user = db.session.get(User, bob.id)
            barrier.wait()
            try:
                invitations.accept(token, user)
                outcomes[index] = "joined"
            except AppError as error:
                outcomes[index] = error.code
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["INVITATION_EXPIRED"] * (parallel - 1) + ["joined"]
    with app.app_context():
        joined = db.session.execute(
            db.select(db.func.count())
            .select_from(ActivityEvent)
            .where(ActivityEvent.action == Activity.MEMBER_JOINED)
        ).scalar_one()
        members = db.session.execute(
            db.select(db.func.count())
            .select_from(Membership)
            .where(Membership.workspace_id == team.workspace_id, Membership.user_id == bob.id)
        ).scalar_one()
        assert joined == members == 1
