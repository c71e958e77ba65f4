"""Downloading what a job wrote: `GET /jobs/{id}/download`, a ZIP of its posts."""

from __future__ import annotations

from ...errors import ErrorCode
from ...rendering import streamed_download
from ...services import exports
from ...services import jobs as job_service
from ...services.exports import project_zip
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from .exports import ZIP_FILE

JOB_ZIP = {
    **ZIP_FILE,
    "description": "The ZIP, streamed (`Content-Disposition: attachment; "
    'filename="<project-slug>-<job-type>-<job-id>.zip"`).',
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
    return streamed_download(
        project_zip.job_zip(job.id), exports.ZIP_MIMETYPE, project_zip.job_zip_filename(job)
    )
