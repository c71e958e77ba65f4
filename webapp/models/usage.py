"""A plan holder's posts: charged per month (usage) and reserved by running jobs."""

from __future__ import annotations

from ..extensions import db
from ..timeutil import utcnow
from .base import id_column, user_fk


class Usage(db.Model):
    """Posts charged to a plan holder in a month. The row of the current month is also
    the lock every plan-limit check holds (see services.plans.holder_locked)."""

    __tablename__ = "usage"
    __table_args__ = (db.UniqueConstraint("user_id", "period_start", name="uq_usage_user_period"),)

    id = id_column()
    user_id = user_fk()  # the plan holder
    period_start = db.Column(db.Date, nullable=False)
    posts_used = db.Column(db.Integer, nullable=False, default=0)


class QuotaReservation(db.Model):
    """Posts a queued or running job may still write: reserved at submit, then charged
    (moved to usage) when the job completes, or released when it fails or is cancelled."""

    __tablename__ = "quota_reservations"

    job_id = db.Column(
        db.String(24), db.ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    holder_id = user_fk()
    posts = db.Column(db.Integer, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
