"""Deleting records nobody can use any more (`flask maintenance purge-expired`).

Each purge keeps what still has a purpose: refresh tokens only go once expired (a used
one is kept until then, so that presenting it again still revokes its family), sessions
once revoked or idle past their limit, mail once sent or failed long enough ago for an
operator to have looked at it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..extensions import db
from ..models import OutboxMessage, RefreshToken, UserSession
from ..timeutil import utcnow
from ..vocabulary import OutboxStatus
from . import idempotency
from .sessions import IDLE_LIMIT

MAIL_RETENTION = timedelta(days=30)


def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Delete every expired record; returns how many of each kind went."""
    now = now or utcnow()
    counts = {
        "idempotency records": idempotency.purge_expired(now),
        "refresh tokens": _delete(RefreshToken, RefreshToken.expires_at < now),
        "sessions": _delete(
            UserSession,
            db.or_(
                UserSession.revoked_at.is_not(None), UserSession.last_seen_at < now - IDLE_LIMIT
            ),
        ),
        "outbox mails": _delete(
            OutboxMessage,
            OutboxMessage.status.in_((OutboxStatus.SENT, OutboxStatus.FAILED)),
            OutboxMessage.created_at < now - MAIL_RETENTION,
        ),
    }
    db.session.commit()
    return counts


def _delete(model, *conditions) -> int:
    return db.session.execute(
        db.delete(model).where(*conditions), execution_options={"synchronize_session": False}
    ).rowcount
