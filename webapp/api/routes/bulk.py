"""Bulk generation: the reference's `POST /posts/bulk-generate`."""

from __future__ import annotations

from ...errors import ErrorCode
from ...services import bulk
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.bulk import BulkGenerateAccepted, BulkGenerateRequest


@bp.post("/posts/bulk-generate")
@endpoint(
    "Generate a post for every row of a topics CSV in one background job",
    tag="Posts",
    body=BulkGenerateRequest,
    response=BulkGenerateAccepted,
    status=202,
    errors=(
        ErrorCode.EMAIL_NOT_VERIFIED,
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.PROJECT_NOT_FOUND,
        ErrorCode.SOURCE_NOT_FOUND,
        ErrorCode.INVALID_SOURCE,
        ErrorCode.BULK_LIMIT_EXCEEDED,
        ErrorCode.QUOTA_EXCEEDED,
        ErrorCode.CONCURRENT_LIMIT_EXCEEDED,
        ErrorCode.SERVICE_UNAVAILABLE,
    ),
    description="The CSV (a source of the project, parsed) needs a `topic` column; "
    "`voice`, `custom_instructions`, `target_length`, `channel` and `workflow` (blog_post, "
    "the default, or newsletter) are optional. More usable rows than the plan's bulk_limit "
    "(free 10, starter 50, pro 500, business 1,000, enterprise 5,000) is 400 "
    "BULK_LIMIT_EXCEEDED and nothing is queued. The job counts once against the plan's "
    "concurrency and writes that many rows at a time. `GET /jobs/{job_id}` reports "
    "`progress` and `result.rows` ({row, topic, status, post_id, error}; `row` is the "
    "spreadsheet row, the header being row 1) and `result.post_ids`. A row the parser "
    "rejected, or with a voice or workflow that cannot be used, fails with its reason; rows "
    "beyond the month's remaining posts fail with QUOTA_EXCEEDED. The job ends completed "
    "when a row made a post, failed when none did. `GET /jobs/{job_id}/download` is a ZIP "
    "of its posts.",
)
def bulk_generate(body: BulkGenerateRequest):
    principal = current_principal()
    job = bulk.request_bulk_generation(
        principal.user,
        project_id=body.project_id,
        csv_source_id=body.csv_source_id,
        test_mode=principal.test_mode,
    )
    return {"job_id": job.id, "status": job.status, "total_items": job.total_items}
