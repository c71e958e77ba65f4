"""Jobs."""

from __future__ import annotations

from pydantic import Field

from ...vocabulary import JobStatus, JobType
from .common import PageQuery, ResponseModel, UtcDatetime, one_of


class JobListQuery(PageQuery):
    limit: int = Field(50, ge=1, le=100, description="Number of results (max 100).")
    status: one_of(JobStatus) | None = None
    job_type: one_of(JobType) | None = None
    project_id: str | None = Field(None, max_length=64)


class JobOut(ResponseModel):
    id: str
    user_id: str
    project_id: str | None
    job_type: str
    status: str
    progress: int
    total_items: int
    current_step: str | None
    result: dict | None
    error_message: str | None
    created_at: UtcDatetime
    updated_at: UtcDatetime


class JobList(ResponseModel):
    jobs: list[JobOut]
    total: int
