"""Claims and kept first responses of POST requests sent with an Idempotency-Key."""

from __future__ import annotations

from ..extensions import db
from ..timeutil import utcnow
from .base import id_column


class IdempotencyRecord(db.Model):
    __tablename__ = "idempotency_records"
    __table_args__ = (db.UniqueConstraint("scope", "key", name="uq_idempotency_scope_key"),)

    id = id_column()
    # "user:<id>" for authenticated calls; "anon:<request_hmac>" for register, so that
    # strangers who pick the same key never meet.
    scope = db.Column(db.String(80), nullable=False)
    key = db.Column(db.String(255), nullable=False)
    # HMAC of method, path and body under a key derived from SECRET_KEY: a body holding a
    # password cannot be guessed back from it.
    request_hmac = db.Column(db.String(64), nullable=False)
    # None while the first request runs (the key is claimed).
    status_code = db.Column(db.Integer, nullable=True)
    # None while running, and for good when the response carried a credential.
    response_body = db.Column(db.Text, nullable=True)
    # When the key was claimed: claims and responses expire from here.
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)

    @property
    def is_pending(self) -> bool:
        return self.status_code is None
