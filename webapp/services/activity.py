"""A workspace's activity feed: who did what and when."""

from __future__ import annotations

from ..extensions import db
from ..models import ActivityEvent, User
from ..vocabulary import Activity

SUMMARY_MAX = 300


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
