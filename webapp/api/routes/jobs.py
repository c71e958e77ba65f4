"""The Jobs endpoints: the reference's status poll, list and cancel, and the checkpoint
of a job waiting for its outline: fill its slots, confirm it."""

from __future__ import annotations

from ...errors import ErrorCode
from ...services import job_registry
from ...services import jobs as job_service
from ...services.access import Permission
from ...services.reaper import repair_if_stale
from ...services.workflows import checkpoints
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.jobs import Confirm, JobList, JobListQuery, JobOut, SlotsPatch


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
    "Cancel a generation (queued or paused: at once; running: at its next step)",
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


@bp.patch("/jobs/<job_id>/slots")
@endpoint(
    "Fill the slots of a job waiting at a checkpoint (the outline to write from)",
    tag="Jobs",
    body=SlotsPatch,
    response=JobOut,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.JOB_NOT_FOUND,
        ErrorCode.INVALID_STATE,
        ErrorCode.VERSION_CONFLICT,
    ),
    description='The outline checkpoint has one slot, `outline`: {"title", "sections": '
    '[{"heading", "points"}]}, 1-20 sections each with a heading. Answers the job '
    "with its new item_version; a stale item_version is 409 VERSION_CONFLICT with "
    "detail.current_version, a job not waiting (slot_needed) 400 INVALID_STATE.",
)
def fill_job_slots(job_id: str, body: SlotsPatch):
    user = current_principal().user
    job = job_service.get_job_or_404(job_id, user, Permission.EDIT)
    slots = [slot.model_dump() for slot in body.slots]
    return checkpoints.fill_slots(job, user, body.item_version, slots)


@bp.post("/jobs/<job_id>/confirm")
@endpoint(
    "Confirm a job waiting at a checkpoint: it resumes and writes from the outline",
    tag="Jobs",
    body=Confirm,
    response=JobOut,
    status=202,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.JOB_NOT_FOUND,
        ErrorCode.INVALID_STATE,
        ErrorCode.VERSION_CONFLICT,
        ErrorCode.CONCURRENT_LIMIT_EXCEEDED,
        ErrorCode.SERVICE_UNAVAILABLE,
    ),
    description="The job is queued again (a paused job holds no worker and does not count "
    "against the plan's concurrency; confirming one while the plan runs all it may is "
    "429 CONCURRENT_LIMIT_EXCEEDED with retry_after).",
)
def confirm_job(job_id: str, body: Confirm):
    user = current_principal().user
    job = job_service.get_job_or_404(job_id, user, Permission.EDIT)
    return checkpoints.confirm(job, user, body.item_version)
