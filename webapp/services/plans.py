"""The plan table of the reference API and the monthly post quota."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..models.base import new_id
from ..models import Usage, User
from ..timeutil import utcnow

BASIC_VOICES = ("professional", "casual", "witty", "technical")
ALL_VOICES = BASIC_VOICES + (
    "gen_z", "academic", "corporate", "storytelling", "humorous", "inspirational",
    "conversational",
)


@dataclass(frozen=True)
class Plan:
    name: str
    posts_limit: int | None  # None: unlimited
    concurrent_limit: int
    bulk_limit: int
    voices: tuple[str, ...]


PLANS = {
    "free": Plan("free", 10, 1, 0, BASIC_VOICES),
    "starter": Plan("starter", 50, 3, 50, ALL_VOICES),
    "pro": Plan("pro", 200, 10, 500, ALL_VOICES),
    "business": Plan("business", 500, 20, 1000, ALL_VOICES),
    "enterprise": Plan("enterprise", None, 50, 5000, ALL_VOICES),
}


def plan_for(user: User) -> Plan:
    return PLANS.get(user.subscription_tier, PLANS["free"])


def current_period_start(today: date | None = None) -> date:
    today = today or utcnow().date()
    return today.replace(day=1)


def next_period_start(today: date | None = None) -> date:
    start = current_period_start(today)
    return date(start.year + 1, 1, 1) if start.month == 12 else date(start.year, start.month + 1, 1)


def posts_used(user: User) -> int:
    """Posts charged to `user` in the current calendar month (UTC)."""
    usage = db.session.execute(
        db.select(Usage.posts_used).where(
            Usage.user_id == user.id, Usage.period_start == current_period_start()
        )
    ).scalar_one_or_none()
    return usage or 0


def quota_for(user: User) -> dict:
    """The quota block of `GET /users/me`: used, limit (None = unlimited), reset date."""
    reset = next_period_start()
    return {
        "posts_used": posts_used(user),
        "posts_limit": plan_for(user).posts_limit,
        "reset_date": datetime(reset.year, reset.month, reset.day),
    }


def charge_post(user_id: str) -> None:
    """Count one post against the user's current month (an upsert: two workers finishing
    at once both count). Committed by the caller."""
    period = current_period_start()
    table = Usage.__table__
    insert = (pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert)(table)
    db.session.execute(insert.values(id=new_id(), user_id=user_id, period_start=period,
                                     posts_used=1).on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.period_start],
        set_={"posts_used": table.c.posts_used + 1}))
