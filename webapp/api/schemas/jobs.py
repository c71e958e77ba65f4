"""Jobs."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ...vocabulary import JobStatus, JobType
from .common import PageQuery, RequestModel, ResponseModel, UtcDatetime, one_of, text


class JobListQuery(PageQuery):
    limit: int = Field(50, ge=1, le=100, description="Number of results (max 100).")
    status: one_of(JobStatus) | None = None
    job_type: one_of(JobType) | None = None
    project_id: str | None = Field(None, max_length=64)


class OutlineSection(ResponseModel):
    heading: str
    points: list[str]


class Outline(ResponseModel):
    title: str
    sections: list[OutlineSection]


class CheckpointSlot(ResponseModel):
    slot_id: str = Field(examples=["outline"])
    type: str = Field(examples=["outline"])
    value: Outline = Field(
        description='The outline: {"title", "sections": [{"heading", "points"}]} (1-20 '
        "sections, each with a heading; points may be empty)."
    )


class Checkpoint(ResponseModel):
    checkpoint_id: str = Field(examples=["outline"])
    step_output_preview: str = Field(description="What the job made so far, as readable text.")
    slots: list[CheckpointSlot]


class JobOut(ResponseModel):
    id: str
    user_id: str
    project_id: str | None
    job_type: str
    status: str
    progress: int
    total_items: int
    current_step: str | None
    result: dict | None = Field(
        description="A generation: post_ids (every post it wrote, the main one first) and "
        "post_id (when it has one main post: a campaign's blog post)."
    )
    error_message: str | None
    item_version: int = Field(
        description="Up by 1 at each checkpoint, each change of its slots and each confirm; "
        "PATCH /jobs/{id}/slots and POST /jobs/{id}/confirm send it back."
    )
    checkpoint: Checkpoint | None = Field(
        description="Where a job waits (status slot_needed): the outline to review; kept "
        "after confirm as what was agreed. null when the job has none."
    )
    created_at: UtcDatetime
    updated_at: UtcDatetime


class JobList(ResponseModel):
    jobs: list[JobOut]
    total: int


class SlotValue(RequestModel):
    slot_id: text(1, 64)
    value: Any = Field(
        description='The outline slot: {"title", "sections": [{"heading", "points"}]}.'
    )


class SlotsPatch(RequestModel):
    item_version: int = Field(ge=1, le=2_000_000_000, description="The job's current version.")
    slots: list[SlotValue] = Field(min_length=1, max_length=10)


class Confirm(RequestModel):
    item_version: int = Field(ge=1, le=2_000_000_000, description="The job's current version.")
