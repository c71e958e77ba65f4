"""Stored first responses of POST requests sent with an Idempotency-Key."""
from __future__ import annotations

from ..extensions import db
from ..timeutil import utcnow
from .base import id_column


class IdempotencyRecord(db.Model):
    __tablename__ = "idempotency_records"
    __table_args__ = (db.UniqueConstraint("scope", "key", name="uq_idempotency_scope_key"),)

    id = id_column()
    # "user:<id>" for authenticated calls, "anon" for register.
    scope = db.Column(db.String(40), nullable=False)
    key = db.Column(db.String(255), nullable=False)
    request_hash = db.Column(db.String(64), nullable=False)
    status_code = db.Column(db.Integer, nullable=False)
    response_body = db.Column(db.Text, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
