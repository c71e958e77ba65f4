"""The plan table of the reference API, who holds a plan, and the lock every plan-limit
check holds."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..models import Project, Usage, User, Workspace
from ..models.base import new_id
from ..timeutil import utcnow
from ..vocabulary import PlanName, Voice

BASIC_VOICES = (Voice.PROFESSIONAL, Voice.CASUAL, Voice.WITTY, Voice.TECHNICAL)
ALL_VOICES = tuple(Voice)
MB = 1024 * 1024
GB = 1024 * MB


@dataclass(frozen=True)
class Plan:
    name: PlanName
    posts_limit: int | None  # None: unlimited
    concurrent_limit: int
    bulk_limit: int
    voices: tuple[str, ...]
    sources_per_project: int
    storage_bytes: int  # across all the holder's sources
    parse_queue: int  # parse and URL import jobs queued or running at once


PLANS = {
    plan.name: plan
    for plan in (
        Plan(PlanName.FREE, 10, 1, 10, BASIC_VOICES, 50, 100 * MB, 5),
        Plan(PlanName.STARTER, 50, 3, 50, ALL_VOICES, 200, 1 * GB, 10),
        Plan(PlanName.PRO, 200, 10, 500, ALL_VOICES, 500, 5 * GB, 20),
        Plan(PlanName.BUSINESS, 500, 20, 1000, ALL_VOICES, 1000, 20 * GB, 40),
        Plan(PlanName.ENTERPRISE, None, 50, 5000, ALL_VOICES, 5000, 100 * GB, 100),
    )
}


def plan_for(user: User) -> Plan:
    return PLANS.get(user.subscription_tier, PLANS[PlanName.FREE])


def plan_holder_of(project: Project) -> User:
    """Whose plan work in `project` runs on: its workspace's owner. Every limit is counted
    and locked on the holder's id, pooled across all the workspaces they own, whoever
    of their members does the work."""
    return project.workspace.owner


def plan_and_holder_of(project: Project) -> tuple[Plan, str]:
    """The plan work in `project` runs on, and the id of its holder."""
    holder = plan_holder_of(project)
    return plan_for(holder), holder.id


def held_by(model, holder_id: str):
    """A filter on `model` (a model with `project_id`) for the rows that count against
    `holder_id`'s plan: those in the projects of every workspace the holder owns."""
    return model.project_id.in_(
        db.select(Project.id)
        .join(Workspace, Workspace.id == Project.workspace_id)
        .where(Workspace.owner_id == holder_id)
    )


def current_period_start(today: date | None = None) -> date:
    today = today or utcnow().date()
    return today.replace(day=1)


def next_period_start(today: date | None = None) -> date:
    start = current_period_start(today)
    return date(start.year + 1, 1, 1) if start.month == 12 else date(start.year, start.month + 1, 1)


def posts_used(user: User) -> int:
    """Posts charged to `user`'s own plan in the current calendar month (UTC)."""
    return posts_used_by(user.id)


def posts_used_by(holder_id: str) -> int:
    usage = db.session.execute(
        db.select(Usage.posts_used).where(
            Usage.user_id == holder_id, Usage.period_start == current_period_start()
        )
    ).scalar_one_or_none()
    return usage or 0


def quota_for(user: User) -> dict:
    """The quota block of `user`'s own plan (`GET /users/me`; a workspace's is its
    owner's): used (charged only), limit (None = unlimited), reset date."""
    reset = next_period_start()
    return {
        "posts_used": posts_used(user),
        "posts_limit": plan_for(user).posts_limit,
        "reset_date": datetime(reset.year, reset.month, reset.day),
    }


def add_posts_used(holder_id: str, posts: int) -> None:
    """Count `posts` against the holder's current month (an upsert: two workers finishing
    at once both count). Committed by the caller."""
    table = Usage.__table__
    db.session.execute(
        _upsert_usage(holder_id, posts).on_conflict_do_update(
            index_elements=[table.c.user_id, table.c.period_start],
            set_={"posts_used": table.c.posts_used + posts},
        )
    )


def charge_post(user_id: str) -> None:
    """Count one post against the holder `user_id` (committed by the caller)."""
    add_posts_used(user_id, 1)


@contextmanager
def holder_locked(holder_id: str):
    """One transaction that holds the plan holder's lock: checks made inside see every
    other check's committed work and no check runs beside them, in any process. Commits
    on leaving, rolls back on an error.

    The lock is the holder's usage row of this month (created first so it exists):
    `SELECT … FOR UPDATE` on Postgres. SQLite has no row locks, and pysqlite opens its
    transactions lazily (at the first write, too late to serialise the reads of a check),
    so there the transaction starts with BEGIN IMMEDIATE, which takes the database's
    write lock at once."""
    db.session.commit()  # the lock must be the first thing the transaction does
    try:
        if db.engine.dialect.name == "sqlite":
            db.session.execute(text("BEGIN IMMEDIATE"))
        db.session.execute(_upsert_usage(holder_id, 0).on_conflict_do_nothing())
        db.session.execute(
            db.select(Usage.id)
            .where(Usage.user_id == holder_id, Usage.period_start == current_period_start())
            .with_for_update()
        ).one()
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def _upsert_usage(holder_id: str, posts: int):
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    return insert(Usage.__table__).values(
        id=new_id(), user_id=holder_id, period_start=current_period_start(), posts_used=posts
    )
