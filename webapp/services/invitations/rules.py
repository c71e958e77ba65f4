"""What an invitation is: its lifetime and limits, when it is pending, and the errors
its link gives."""

from __future__ import annotations

from datetime import timedelta

from ...errors import AppError, ErrorCode
from ...extensions import db
from ...models import Invitation
from ...timeutil import utcnow

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
