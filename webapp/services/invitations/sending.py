"""An admin's side of invitations: the checks on an address and a role, inviting,
listing the pending ones, and resending or revoking one."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from ...errors import Conflict, ErrorCode, NotFound, ValidationFailed, field_error
from ...extensions import db
from ...models import Invitation, Membership, User, Workspace
from ...models.base import is_valid_id
from ...timeutil import utcnow
from ...vocabulary import INVITABLE_ROLES, Activity, Role
from .. import accounts, activity
from ..access import Permission, require, role_in
from ..paging import Page, newest_first, paginate
from .mail import _drop_unsent_mail, _new_token, _queue_mail
from .rules import EMAIL_MAX, MAX_PENDING, NOT_FOUND, TOKEN_TTL, InvitationExpired, pending_clause


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
