"""A workspace's activity feed: who did what and when."""

from __future__ import annotations

from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import ActivityEvent, Post, User, Workspace
from ..vocabulary import Activity, Channel
from .paging import Page, newest_first, paginate

SUMMARY_MAX = 300
# How a summary names a post of each channel ("Ann generated the blog post …").
POST_NOUNS = {
    Channel.BLOG: "blog post",
    Channel.SOCIAL: "social media post",
    Channel.EMAIL: "email",
    Channel.TWITTER: "tweet",
    Channel.LINKEDIN: "LinkedIn post",
}


def record(
    workspace_id: str,
    actor: User | None,
    action: Activity,
    subject_type: str,
    subject_id: str | None,
    summary: str,
) -> ActivityEvent:
    """Add an event to the workspace's feed, saved with the caller's next commit (so an
    event exists exactly when what it tells of does). `summary` is one line a person
    reads ("Ann created project Launch")."""
    event = ActivityEvent(
        workspace_id=workspace_id,
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        summary=" ".join(summary.split())[:SUMMARY_MAX],
    )
    db.session.add(event)
    return event


def actor_name(actor: User | None) -> str:
    """How a summary names who did it; "Someone" when nobody in particular did."""
    return actor.name if actor is not None else "Someone"


def quoted(text: str | None, limit: int = 120) -> str:
    """`text` in double quotes for a summary, shortened with an ellipsis past `limit`."""
    text = " ".join((text or "").split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f'"{text}"'


def post_noun(post: Post) -> str:
    return POST_NOUNS.get(post.channel, "post")


def list_events(
    workspace: Workspace, action: Activity | None = None, limit: int = 50, offset: int = 0
) -> Page[ActivityEvent]:
    """A page of the workspace's events (only those of `action` when given), newest
    first, with their actors loaded in the same query, and the total."""
    query = (
        db.select(ActivityEvent)
        .where(ActivityEvent.workspace_id == workspace.id)
        .options(joinedload(ActivityEvent.actor))
    )
    if action is not None:
        query = query.where(ActivityEvent.action == action)
    return paginate(query, order_by=newest_first(ActivityEvent), limit=limit, offset=offset)
