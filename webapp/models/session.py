"""Server-side sign-in sessions: the browser's cookie names a row, sign-out revokes it."""

from __future__ import annotations

from ..extensions import db
from ..timeutil import utcnow
from .base import user_fk


class UserSession(db.Model):
    """One signed-in browser. The cookie carries a random key; only its SHA-256 is stored
    here, so that a copy of this table signs nobody in."""

    __tablename__ = "user_sessions"

    id = db.Column(db.String(64), primary_key=True)  # SHA-256 hex of the cookie's key
    user_id = user_fk()
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_seen_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    revoked_at = db.Column(db.DateTime, nullable=True)
    user_agent = db.Column(db.String(255), nullable=True)
    ip_address = db.Column(db.String(45), nullable=True)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
