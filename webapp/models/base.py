"""Column helpers shared by every model."""

from __future__ import annotations

import re
import secrets

from ..extensions import db
from ..timeutil import utcnow


def new_id() -> str:
    """A 24-hex-digit identifier, the shape of the reference API's ids."""
    return secrets.token_hex(12)


_ID_PATTERN = re.compile(r"^[0-9a-f]{24}$")


def is_valid_id(value: str) -> bool:
    """Whether `value` has the shape of our ids (checked before any lookup)."""
    return bool(_ID_PATTERN.match(value or ""))


def id_column():
    return db.Column(db.String(24), primary_key=True, default=new_id)


def user_fk(nullable: bool = False):
    return db.Column(
        db.String(24),
        db.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=nullable,
        index=True,
    )


class TimestampMixin:
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
