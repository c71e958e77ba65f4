"""Opening an invitation's link: the invitation a token opens, and accepting it (signed
in, or signing up with the invited address)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import Invitation, Membership, User
from ...timeutil import utcnow
from ...vocabulary import Activity
from .. import accounts, activity
from .mail import hash_token
from .rules import InvitationEmailMismatch, InvitationExpired, is_pending, pending_clause


def find_by_token(token: str) -> Invitation:
    """The pending invitation this token opens, or INVITATION_EXPIRED (unknown, used,
    revoked or expired alike)."""
    invitation = None
    if token and len(token) <= 200:
        invitation = db.session.execute(
            db.select(Invitation).where(Invitation.token_hash == hash_token(token))
        ).scalar_one_or_none()
    if invitation is None or not is_pending(invitation):
        raise InvitationExpired()
    return invitation


def email_matches(invitation: Invitation, user: User) -> bool:
    return accounts.normalise_email(user.email) == invitation.email


def accept(token: str, user: User) -> Membership:
    """Join the invitation's workspace with its role (committed); single use.

    INVITATION_EXPIRED (410) for an unknown, used, revoked or expired token;
    INVITATION_EMAIL_MISMATCH (403) when `user`'s address is not the invited one. A
    member already just uses it up. Accepting proves the address: it is marked verified.
    Of two accepts in parallel, one joins; the other is INVITATION_EXPIRED."""
    invitation = find_by_token(token)
    if not email_matches(invitation, user):
        raise InvitationEmailMismatch()
    now = utcnow()
    # Conditional: of concurrent accepts, only the first finds the invitation still open.
    claimed = db.session.execute(
        db.update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.token_hash == invitation.token_hash,
            pending_clause(now),
        )
        .values(accepted_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise InvitationExpired()
    membership = db.session.execute(
        db.select(Membership).where(
            Membership.workspace_id == invitation.workspace_id, Membership.user_id == user.id
        )
    ).scalar_one_or_none()
    joined = membership is None
    if joined:
        membership = Membership(
            workspace_id=invitation.workspace_id, user_id=user.id, role=invitation.role
        )
        db.session.add(membership)
    if user.email_verified_at is None:
        user.email_verified_at = now
    if joined:
        activity.record(
            invitation.workspace_id,
            user,
            Activity.MEMBER_JOINED,
            "member",
            user.id,
            f"{user.name} joined as {invitation.role}",
        )
    try:
        db.session.commit()
    except IntegrityError:  # joined by another invitation at the same moment
        db.session.rollback()
        raise InvitationExpired()
    db.session.refresh(invitation)
    return membership


def sign_up_and_accept(token: str, name: str, password: str) -> tuple[User, Membership]:
    """The invitation page's sign-up: an account with the invited address (verified, as
    the link proves it), joined at once. Allowed under SIGNUP_MODE open and invite;
    SIGNUP_CLOSED when it is closed. EMAIL_EXISTS when the address has an account (sign
    in instead); VALIDATION_ERROR for a weak password."""
    invitation = find_by_token(token)
    accounts.ensure_signup_possible()
    user = accounts.create_account(invitation.email, password, name, verified=True)
    return user, accept(token, user)
