"""API keys: stored as a SHA-256 hash with a visible prefix."""

from __future__ import annotations

from ..extensions import db
from ..timeutil import utcnow
from ..vocabulary import KeyMode
from .base import id_column, user_fk


class ApiKey(db.Model):
    __tablename__ = "api_keys"

    id = id_column()
    user_id = user_fk()
    name = db.Column(db.String(100), nullable=False)
    mode = db.Column(db.String(4), nullable=False, default=KeyMode.LIVE)
    prefix = db.Column(db.String(16), nullable=False)
    key_hash = db.Column(db.String(64), nullable=False, unique=True)
    request_count = db.Column(db.Integer, nullable=False, default=0)
    last_used_at = db.Column(db.DateTime, nullable=True)
    revoked_at = db.Column(db.DateTime, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)

    user = db.relationship("User")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
