"""A workspace's activity feed."""

from __future__ import annotations

from pydantic import Field

from ...vocabulary import Activity
from .common import PageQuery, ResponseModel, UtcDatetime, one_of


class ActivityQuery(PageQuery):
    limit: int = Field(50, ge=1, le=100, description="Number of results (max 100).")
    action: one_of(Activity) | None = Field(None, description="Only the events of this action.")


class Actor(ResponseModel):
    id: str
    name: str


class ActivityEventOut(ResponseModel):
    id: str
    actor: Actor | None = Field(description="Who did it; null once their account is deleted.")
    action: str
    subject_type: str
    subject_id: str | None
    summary: str
    created_at: UtcDatetime


class ActivityList(ResponseModel):
    events: list[ActivityEventOut]
    total: int
