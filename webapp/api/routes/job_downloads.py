"""Downloading what a job wrote: `GET /jobs/{id}/download`, a ZIP of its posts."""

from __future__ import annotations

from flask import Response, stream_with_context

from ...errors import ErrorCode
from ...services import exports
from ...services import jobs as job_service
from ...services.exports import project_zip
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal

JOB_ZIP = {
    "description": "The ZIP, streamed (`Content-Disposition: attachment; "
    'filename="<project-slug>-<job-type>-<job-id>.zip"`).',
    "content": {exports.ZIP_MIMETYPE: {"schema": {"type": "string", "format": "binary"}}},
}


@bp.get("/jobs/<job_id>/download")
@endpoint(
    "Download the posts a job wrote as a ZIP",
    tag="Jobs",
    errors=(
        ErrorCode.JOB_NOT_FOUND,
        ErrorCode.INVALID_STATE,
        ErrorCode.NOT_FOUND,
        ErrorCode.APPROVAL_REQUIRED,
    ),
    description=(
        "Every post the job wrote (a bulk job's rows in spreadsheet order, a campaign "
        "pack's four posts) as `posts/<slug>.md|html|docx`, and `manifest.json` with the "
        "job, the project, the posts (with their topic and position) and the project's "
        "sources. A job not completed is 409 INVALID_STATE; one that wrote no post is 404 "
        "NOT_FOUND; where the project requires approval only approved posts are included "
        "(none: 409 APPROVAL_REQUIRED). Streamed."
    ),
    extra={"response": JOB_ZIP},
)
def download_job(job_id: str):
    job = job_service.get_job_or_404(job_id, current_principal().user)
    project_zip.require_job_download(job)
    return Response(
        stream_with_context(project_zip.job_zip(job.id)),
        mimetype=exports.ZIP_MIMETYPE,
        headers={
            "Content-Disposition": exports.content_disposition(project_zip.job_zip_filename(job))
        },
    )
