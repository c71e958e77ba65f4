"""The invitation's token and link, and its mail: queued (or dropped) by the invitation,
written by the worker at send time (`_compose_invitation_mail`), which issues the token."""

from __future__ import annotations

import hashlib
import secrets
from urllib.parse import quote

from ...config import public_url
from ...extensions import db
from ...models import Invitation, OutboxMessage, Workspace
from ...vocabulary import OutboxStatus
from .. import mail
from .rules import INVITATION_PAGE_PATH, MAIL_KIND, pending_clause


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def invitation_link(token: str) -> str:
    """The absolute URL of the invitation page for `token`, under BASE_URL."""
    return public_url(INVITATION_PAGE_PATH.format(token=quote(token, safe="")))


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
