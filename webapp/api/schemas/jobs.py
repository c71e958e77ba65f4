"""Jobs."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from ...models.job import JOB_STATUSES, JOB_TYPES
from .common import PageQuery, ResponseModel, UtcDatetime


class JobListQuery(PageQuery):
    limit: int = Field(50, ge=1, le=100, description="Number of results (max 100).")
    status: Literal[JOB_STATUSES] | None = None  # type: ignore[valid-type]
    job_type: Literal[JOB_TYPES] | None = None  # type: ignore[valid-type]
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
