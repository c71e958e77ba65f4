"""The Jobs endpoints: the reference's status poll, plus list and cancel."""

from __future__ import annotations

from ...errors import ErrorCode
from ...services import job_registry
from ...services import jobs as job_service
from ...services.access import Permission
from ...services.reaper import repair_if_stale
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.jobs import JobList, JobListQuery, JobOut


@bp.get("/jobs/<job_id>")
@endpoint(
    "Get a job's status and progress",
    tag="Jobs",
    response=JobOut,
    errors=(ErrorCode.JOB_NOT_FOUND,),
)
def get_job(job_id: str):
    principal = current_principal()
    running = job_service.running_job_state(job_id, principal.user_id)
    if running is not None:
        return running  # polled every second or so while a job runs: no database read
    job = repair_if_stale(job_service.get_job_or_404(job_id, principal.user))
    progress, step = job_service.live_progress(job)
    return JobOut.model_validate(job, from_attributes=True).model_copy(
        update={"progress": progress, "current_step": step}
    )


@bp.get("/jobs")
@endpoint("List jobs, newest first", tag="Jobs", query=JobListQuery, response=JobList)
def list_jobs(query: JobListQuery):
    jobs, total = job_service.list_jobs(
        current_principal().user,
        query.status,
        query.job_type,
        query.project_id,
        query.limit,
        query.offset,
    )
    return {"jobs": jobs, "total": total}


@bp.post("/jobs/<job_id>/cancel")
@endpoint(
    "Cancel a generation (queued: at once; running: at its next step)",
    tag="Jobs",
    response=JobOut,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.JOB_NOT_FOUND,
        ErrorCode.INVALID_STATE,
        ErrorCode.SERVICE_UNAVAILABLE,
    ),
)
def cancel_job(job_id: str):
    job = job_service.get_job_or_404(job_id, current_principal().user, Permission.EDIT)
    return job_registry.cancel(job)
