"""The mail outbox: every message is stored here first and sent by the worker."""

from __future__ import annotations

from ..extensions import db
from ..timeutil import utcnow
from ..vocabulary import OutboxStatus
from .base import id_column

OUTBOX_STATUSES = tuple(OutboxStatus)


class OutboxMessage(db.Model):
    """One message to send. `kind` "message" carries its text in `body`; other kinds (such
    as "password_reset") are written at send time, so that no secret link is ever stored.
    The body is cleared once the row is sent or has failed."""

    __tablename__ = "mail_outbox"
    __table_args__ = (db.Index("ix_mail_outbox_status_next_attempt", "status", "next_attempt_at"),)

    id = id_column()
    kind = db.Column(db.String(32), nullable=False)
    recipient = db.Column(db.String(255), nullable=False)
    subject = db.Column(db.String(255), nullable=False)
    body = db.Column(db.Text, nullable=True)
    status = db.Column(db.String(16), nullable=False, default=OutboxStatus.PENDING)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # When a worker claimed it ("sending"); a claim that outlives its lease was interrupted.
    claimed_at = db.Column(db.DateTime, nullable=True)
    last_error = db.Column(db.Text, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime, nullable=True)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"
