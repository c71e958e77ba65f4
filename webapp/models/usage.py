"""Posts charged against a user's monthly quota, one row per user and month."""
from __future__ import annotations

from ..extensions import db
from .base import id_column, user_fk


class Usage(db.Model):
    __tablename__ = "usage"
    __table_args__ = (db.UniqueConstraint("user_id", "period_start", name="uq_usage_user_period"),)

    id = id_column()
    user_id = user_fk()
    period_start = db.Column(db.Date, nullable=False)
    posts_used = db.Column(db.Integer, nullable=False, default=0)
