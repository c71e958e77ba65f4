"""Invitations: an admin invites an address into a workspace with a role; the mail holds a
single-use link `{BASE_URL}/invitations/{token}`, valid for 7 days, that joins whoever
signs in (or up) with that address.

Only the token's SHA-256 is stored. As for password reset, the mail is written by the
worker at send time (`_compose_invitation_mail`): it issues a fresh token then, stores its
hash and puts the link in the mail, so neither the token nor the link is ever stored (the
outbox row holds the invitation's id only). An invitation is pending while it is neither
accepted, revoked nor expired; issuing a new token (a resend, or the mail being written)
makes the previous link stop working.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import quote

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.exc import IntegrityError

from ...config import public_url
from ...errors import AppError, Conflict, ErrorCode, NotFound, ValidationFailed, field_error
from ...extensions import db
from ...models import Invitation, Membership, OutboxMessage, User, Workspace
from ...models.base import is_valid_id
from ...timeutil import utcnow
from ...vocabulary import INVITABLE_ROLES, Activity, OutboxStatus, Role
from .. import accounts, activity, mail
from ..access import Permission, require, role_in
from ..paging import Page, newest_first, paginate

TOKEN_TTL = timedelta(days=7)
MAX_PENDING = 50
MAIL_KIND = "invitation"
# The page an invitation link opens (invitations.open_invitation).
INVITATION_PAGE_PATH = "/invitations/{token}"
EMAIL_MAX = 255
# Invitation mail (invitations and resends) per user, pages and API counted together: an
# admin cannot turn the installation against somebody's mailbox.
MAIL_RATE_LIMIT = "50/hour"
MAIL_RATE_SCOPE = "invitation-mail"


class InvitationExpired(AppError):
    code = ErrorCode.INVITATION_EXPIRED
    message = "This invitation is no longer valid: it was used, revoked, or has expired."


class InvitationEmailMismatch(AppError):
    code = ErrorCode.INVITATION_EMAIL_MISMATCH
    message = (
        "This invitation is for another email address: sign out, then sign in or sign up "
        "with the address it was sent to."
    )


NOT_FOUND = {"code": ErrorCode.INVITATION_NOT_FOUND, "message": "Invitation not found."}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def invitation_link(token: str) -> str:
    """The absolute URL of the invitation page for `token`, under BASE_URL."""
    return public_url(INVITATION_PAGE_PATH.format(token=quote(token, safe="")))


def pending_clause(now=None):
    """Where-clause: neither accepted, revoked nor expired."""
    now = now or utcnow()
    return db.and_(
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > now,
    )


def is_pending(invitation: Invitation) -> bool:
    return (
        invitation.accepted_at is None
        and invitation.revoked_at is None
        and invitation.expires_at > utcnow()
    )


def check_email(email: str) -> str:
    """The normalised address, or VALIDATION_ERROR on the field `email`."""
    address = accounts.normalise_email(email or "")
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        address = ""
    if not address or len(address) > EMAIL_MAX:
        message = "Enter a valid email address."
        raise ValidationFailed(message, errors=[field_error("email", message)])
    return address


def check_role(role: str) -> Role:
    """One of the invitable roles, or VALIDATION_ERROR on the field `role`."""
    if role not in {r.value for r in INVITABLE_ROLES}:
        message = "Choose one of: " + ", ".join(r.value for r in INVITABLE_ROLES) + "."
        raise ValidationFailed(message, errors=[field_error("role", message)])
    return Role(role)


def has_pending_invitation(email: str) -> bool:
    """Whether some workspace has a pending invitation for this address (SIGNUP_MODE=invite)."""
    return (
        db.session.execute(
            db.select(Invitation.id)
            .where(Invitation.email == accounts.normalise_email(email), pending_clause())
            .limit(1)
        ).first()
        is not None
    )


def invite(workspace: Workspace, actor: User, email: str, role: str) -> Invitation:
    """Invite `email` into `workspace` with `role` and queue the mail (committed).

    The actor must manage the workspace (INSUFFICIENT_ROLE) and, when verification is
    required, have verified their own address (it mails somebody else). VALIDATION_ERROR
    for a bad address or role (the field named); ALREADY_MEMBER when the address is a
    member; INVITATION_LIMIT_REACHED past 50 pending invitations. A pending invitation
    for the same address is refreshed (role, inviter, token, expiry), not duplicated."""
    require(role_in(workspace.id, actor), Permission.MANAGE)
    address = check_email(email)
    role = check_role(role)
    accounts.require_verified_email(actor)
    is_member = db.session.execute(
        db.select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.workspace_id == workspace.id, User.email == address)
    ).first()
    if is_member is not None:
        raise Conflict(
            f"{address} is a member of this workspace already.", code=ErrorCode.ALREADY_MEMBER
        )
    now = utcnow()
    invitation = db.session.execute(
        db.select(Invitation)
        .where(
            Invitation.workspace_id == workspace.id,
            Invitation.email == address,
            pending_clause(now),
        )
        .order_by(*newest_first(Invitation))
        .limit(1)
    ).scalar_one_or_none()
    if invitation is None:
        pending = db.session.execute(
            db.select(db.func.count())
            .select_from(Invitation)
            .where(Invitation.workspace_id == workspace.id, pending_clause(now))
        ).scalar_one()
        if pending >= MAX_PENDING:
            raise Conflict(
                f"This workspace has {MAX_PENDING} pending invitations, the most allowed: "
                "revoke some, or wait until they are accepted or expire.",
                code=ErrorCode.INVITATION_LIMIT_REACHED,
            )
        invitation = Invitation(workspace_id=workspace.id, email=address, created_at=now)
        db.session.add(invitation)
    else:
        _drop_unsent_mail(invitation)
    # A token nobody learns until the mail is written: the link exists only in the mail.
    invitation.role = role
    invitation.invited_by = actor.id
    invitation.token_hash = _new_token()[1]
    invitation.expires_at = now + TOKEN_TTL
    db.session.flush()
    activity.record(
        workspace.id,
        actor,
        Activity.INVITATION_SENT,
        "invitation",
        invitation.id,
        f"{actor.name} invited {address} as {role.value}",
    )
    _queue_mail(invitation)  # commits
    return invitation


def list_pending(workspace: Workspace, limit: int = 100, offset: int = 0) -> Page[Invitation]:
    """A page of the workspace's pending invitations, newest first, and their total."""
    query = db.select(Invitation).where(Invitation.workspace_id == workspace.id, pending_clause())
    return paginate(query, order_by=newest_first(Invitation), limit=limit, offset=offset)


def get_invitation_or_404(
    invitation_id: str, user: User, need: Permission = Permission.MANAGE
) -> Invitation:
    """An invitation of a workspace `user` belongs to, if their role allows `need`:
    INVITATION_NOT_FOUND (404) for an unknown one or one of another workspace,
    INSUFFICIENT_ROLE (403) for too small a role."""
    found = None
    if is_valid_id(invitation_id):
        found = db.session.execute(
            db.select(Invitation, Membership.role)
            .join(
                Membership,
                db.and_(
                    Membership.workspace_id == Invitation.workspace_id,
                    Membership.user_id == user.id,
                ),
            )
            .where(Invitation.id == invitation_id)
        ).one_or_none()
    if found is None:
        raise NotFound(**NOT_FOUND)
    invitation, role = found
    require(role, need)
    return invitation


def resend(invitation: Invitation, actor: User | None = None) -> Invitation:
    """A new token, a new 7-day expiry and a new mail (committed); the previous link stops
    working at once. INVITATION_EXPIRED for an accepted or revoked invitation (an expired
    one may be resent)."""
    if actor is not None:
        accounts.require_verified_email(actor)
    now = utcnow()
    renewed = db.session.execute(
        db.update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(token_hash=_new_token()[1], expires_at=now + TOKEN_TTL)
        .execution_options(synchronize_session=False)
    ).rowcount
    if renewed != 1:
        db.session.rollback()
        raise InvitationExpired("This invitation was accepted or revoked: it cannot be resent.")
    _drop_unsent_mail(invitation)
    _queue_mail(invitation)  # commits
    db.session.refresh(invitation)
    return invitation


def revoke(invitation: Invitation) -> None:
    """Revoke the invitation: its link stops working (committed). Revoking a revoked one
    does nothing; an accepted one is INVITATION_EXPIRED (the person is a member: remove
    them instead)."""
    revoked = db.session.execute(
        db.update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if revoked != 1:
        db.session.rollback()
        db.session.refresh(invitation)
        if invitation.accepted_at is not None:
            raise InvitationExpired(
                "This invitation was accepted already: remove the member instead."
            )
        return
    _drop_unsent_mail(invitation)
    db.session.commit()


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


def _queue_mail(invitation: Invitation) -> None:
    """Queue the invitation's mail (commits): the row names the invitation (in `body`),
    the worker writes the mail and its link when sending."""
    workspace = db.session.get(Workspace, invitation.workspace_id)
    mail.queue_mail(MAIL_KIND, invitation.email, _subject(workspace), invitation.id)


def _drop_unsent_mail(invitation: Invitation) -> None:
    """Forget mail for this invitation not yet being sent: the new mail replaces it."""
    db.session.execute(
        db.delete(OutboxMessage)
        .where(
            OutboxMessage.kind == MAIL_KIND,
            OutboxMessage.body == invitation.id,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
        .execution_options(synchronize_session=False)
    )


def _subject(workspace: Workspace) -> str:
    return f"You are invited to join {workspace.name} on Copydesk"[:255]


@mail.composer(MAIL_KIND)
def _compose_invitation_mail(message: OutboxMessage) -> tuple[str, str, str] | None:
    """The invitation mail with a token issued now (its hash stored, the previous token
    dead); None when the invitation is no longer pending."""
    invitation = db.session.get(Invitation, message.body or "")
    token = issue_token(invitation) if invitation is not None else None
    if token is None:
        return None
    return invitation.email, message.subject, _invitation_mail_text(invitation, token)


def issue_token(invitation: Invitation) -> str | None:
    """A new token for a pending invitation, its hash stored (committed): the previous
    token stops working. None when the invitation is no longer pending."""
    token, token_hash = _new_token()
    issued = db.session.execute(
        db.update(Invitation)
        .where(Invitation.id == invitation.id, pending_clause())
        .values(token_hash=token_hash)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if issued != 1:
        return None
    db.session.refresh(invitation)
    return token


def _invitation_mail_text(invitation: Invitation, token: str) -> str:
    inviter = invitation.inviter
    workspace = invitation.workspace
    inviter_text = f"{inviter.name} ({inviter.email})" if inviter else "A Copydesk user"
    return (
        "Hello,\n\n"
        f"{inviter_text} invited you to join the workspace “{workspace.name}”\n"
        f"on Copydesk as {invitation.role}.\n\n"
        "To accept, open this link within 7 days:\n\n"
        f"{invitation_link(token)}\n\n"
        f"Sign in, or create your account, with this address ({invitation.email}).\n"
        "The link works once.\n\n"
        "If you did not expect this invitation, ignore this email.\n\n"
        "Copydesk\n"
    )
