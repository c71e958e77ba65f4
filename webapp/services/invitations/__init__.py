"""Invitations: an admin invites an address into a workspace with a role; the mail holds a
single-use link `{BASE_URL}/invitations/{token}`, valid for 7 days, that joins whoever
signs in (or up) with that address.

Only the token's SHA-256 is stored. As for password reset, the mail is written by the
worker at send time (`_compose_invitation_mail`): it issues a fresh token then, stores its
hash and puts the link in the mail, so neither the token nor the link is ever stored (the
outbox row holds the invitation's id only). An invitation is pending while it is neither
accepted, revoked nor expired; issuing a new token (a resend, or the mail being written)
makes the previous link stop working.

The rules (lifetime, limits, pending, errors) are in `rules`; the admin's side (checks,
invite, list, resend, revoke) in `sending`; the token, link and mail in `mail`; opening
and accepting a link in `accepting`. Everything is importable from here.
"""

from .accepting import accept, email_matches, find_by_token, sign_up_and_accept
from .mail import hash_token, invitation_link, issue_token
from .rules import (
    EMAIL_MAX,
    INVITATION_PAGE_PATH,
    MAIL_KIND,
    MAIL_RATE_LIMIT,
    MAIL_RATE_SCOPE,
    MAX_PENDING,
    NOT_FOUND,
    TOKEN_TTL,
    InvitationEmailMismatch,
    InvitationExpired,
    is_pending,
    pending_clause,
)
from .sending import (
    check_email,
    check_role,
    get_invitation_or_404,
    has_pending_invitation,
    invite,
    list_pending,
    resend,
    revoke,
)

__all__ = [
    "EMAIL_MAX",
    "INVITATION_PAGE_PATH",
    "MAIL_KIND",
    "MAIL_RATE_LIMIT",
    "MAIL_RATE_SCOPE",
    "MAX_PENDING",
    "NOT_FOUND",
    "TOKEN_TTL",
    "InvitationEmailMismatch",
    "InvitationExpired",
    "accept",
    "check_email",
    "check_role",
    "email_matches",
    "find_by_token",
    "get_invitation_or_404",
    "has_pending_invitation",
    "hash_token",
    "invitation_link",
    "invite",
    "is_pending",
    "issue_token",
    "list_pending",
    "pending_clause",
    "resend",
    "revoke",
    "sign_up_and_accept",
]
