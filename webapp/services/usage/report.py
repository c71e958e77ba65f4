"""What a workspace's posts used over a window of UTC days, added up by the database
(GROUP BY): only completed posts count, test-mode ones (the offline writer, no quota) do
not. A post belongs to the day it was created on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from ...extensions import db
from ...models import Post, Project, User, Workspace
from ...timeutil import utcnow
from ...vocabulary import PostStatus

WINDOW_DAYS = 30


class utc_day(FunctionElement):
    """`utc_day(column)`: the day of a naive UTC timestamp as `YYYY-MM-DD` text, the same
    on both databases (SQLite has no date type, Postgres no `strftime`)."""

    type = String()
    inherit_cache = True


@compiles(utc_day, "sqlite")
def _sqlite_day(element, compiler, **kw):
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 10)"


@compiles(utc_day, "postgresql")
def _postgresql_day(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"


@dataclass(frozen=True)
class Window:
    """The UTC days from `first_day` to `last_day`, both included."""

    first_day: date
    last_day: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time())

    @property
    def end(self) -> datetime:
        """The first moment after the window (exclusive)."""
        return datetime.combine(self.last_day + timedelta(days=1), time())

    @property
    def days(self) -> list[date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=n) for n in range(count)]


@dataclass(frozen=True)
class DayCount:
    day: date
    posts: int


@dataclass(frozen=True)
class ModelUsage:
    model: str  # "" when the post does not say
    posts: int
    tokens: int
    cost: Decimal

    @property
    def offline(self) -> bool:
        """Written by the offline writer: no model, no tokens, no cost."""
        return self.model == "offline"


@dataclass(frozen=True)
class MemberUsage:
    user_id: str
    name: str
    email: str
    posts: int
    tokens: int
    cost: Decimal


def window(today: date | None = None, days: int = WINDOW_DAYS) -> Window:
    """The last `days` UTC days, today included."""
    today = today or utcnow().date()
    return Window(today - timedelta(days=days - 1), today)


def _counted(workspace: Workspace, span: Window):
    """The filter on Post for the posts of `workspace` counted in `span`."""
    return (
        Post.project_id.in_(db.select(Project.id).where(Project.workspace_id == workspace.id)),
        Post.status == PostStatus.COMPLETED,
        Post.test_mode.is_(False),
        Post.created_at >= span.start,
        Post.created_at < span.end,
    )


TOKENS = db.func.coalesce(db.func.sum(Post.prompt_tokens + Post.completion_tokens), 0)
COST = db.func.coalesce(db.func.sum(Post.cost_usd), 0)


def posts_per_day(workspace: Workspace, span: Window) -> list[DayCount]:
    """Every day of `span`, oldest first, with the posts created that day (0 included)."""
    day = utc_day(Post.created_at)
    counts = dict(
        db.session.execute(
            db.select(day, db.func.count(Post.id)).where(*_counted(workspace, span)).group_by(day)
        ).all()
    )
    return [DayCount(d, counts.get(d.isoformat(), 0)) for d in span.days]


def usage_per_model(workspace: Workspace, span: Window) -> list[ModelUsage]:
    """Posts, tokens and cost per model in `span`, the costliest first."""
    model = db.func.coalesce(Post.model, "")
    rows = db.session.execute(
        db.select(model, db.func.count(Post.id), TOKENS, COST)
        .where(*_counted(workspace, span))
        .group_by(model)
        .order_by(COST.desc(), TOKENS.desc(), model)
    ).all()
    return [
        ModelUsage(name, posts, int(tokens), Decimal(str(cost)))
        for name, posts, tokens, cost in rows
    ]


def usage_per_member(workspace: Workspace, span: Window) -> list[MemberUsage]:
    """Posts, tokens and cost per author in `span` (former members included), most posts
    first. Members who wrote nothing in `span` are not listed."""
    rows = db.session.execute(
        db.select(User.id, User.name, User.email, db.func.count(Post.id), TOKENS, COST)
        .join(Post, Post.user_id == User.id)
        .where(*_counted(workspace, span))
        .group_by(User.id, User.name, User.email)
        .order_by(db.func.count(Post.id).desc(), COST.desc(), User.name)
    ).all()
    return [
        MemberUsage(user_id, name, email, posts, int(tokens), Decimal(str(cost)))
        for user_id, name, email, posts, tokens, cost in rows
    ]
