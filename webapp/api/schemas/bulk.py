"""Bulk generation from a topics CSV."""

from __future__ import annotations

from pydantic import Field

from ...vocabulary import JobStatus
from .common import RequestModel, ResponseModel
from .posts import ObjectId


class BulkGenerateRequest(RequestModel):
    project_id: ObjectId
    csv_source_id: ObjectId = Field(
        description="A parsed CSV source of the project with a `topic` column (optional: "
        "voice, custom_instructions, target_length, channel, workflow = blog_post or "
        "newsletter)."
    )


class BulkGenerateAccepted(ResponseModel):
    job_id: str
    status: str = JobStatus.QUEUED
    total_items: int = Field(description="The CSV's rows, those the parser rejected included.")
    message: str = (
        "Bulk generation started. Poll /api/v1/jobs/{job_id}: result.rows reports each row."
    )
