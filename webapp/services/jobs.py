"""Job rows: created with the work they track, advanced by the worker, read by the API."""

from __future__ import annotations

from ..errors import ErrorCode
from ..extensions import db
from ..models import Job, Membership, Project, User
from ..models.base import is_valid_id
from ..timeutil import iso_utc, utcnow
from ..vocabulary import JobStatus
from . import live
from .access import Permission, get_owned_or_404
from .paging import Page, newest_first, paginate

CHECKPOINT_FIELDS = ("checkpoint_id", "step_output_preview", "slots")


def create_job(
    user: User, job_type: str, project: Project | None = None, total_items: int = 1
) -> Job:
    """A queued job (not committed: it is saved with the object it works on)."""
    job = Job(
        user_id=user.id,
        project_id=project.id if project else None,
        job_type=job_type,
        status=JobStatus.QUEUED,
        total_items=total_items,
    )
    db.session.add(job)
    return job


def start_job(job: Job, step: str) -> None:
    """The worker took the job: processing, at its first step (committed)."""
    job.status = JobStatus.PROCESSING
    job.started_at = job.started_at or utcnow()
    set_progress(job, 5, step)


def set_progress(job: Job, percent: int, step: str) -> None:
    """Save the job's progress (committed) and share it with status polls."""
    job.progress = max(0, min(100, percent))
    job.current_step = step[:200]
    job.touch()
    state = public_state(job) if job.status == JobStatus.PROCESSING else None
    db.session.commit()
    if state is not None:
        live.publish_job_state(job.id, state)


def public_state(job: Job) -> dict:
    """The job as `GET /jobs/{id}` shows it, JSON-ready."""
    return {
        "id": job.id,
        "user_id": job.user_id,
        "project_id": job.project_id,
        "job_type": job.job_type,
        "status": job.status,
        "progress": job.progress,
        "total_items": job.total_items,
        "current_step": job.current_step,
        "result": job.result,
        "error_message": job.error_message,
        "item_version": job.item_version,
        "checkpoint": public_checkpoint(job.checkpoint),
        "created_at": iso_utc(job.created_at),
        "updated_at": iso_utc(job.updated_at),
    }


def public_checkpoint(checkpoint: dict | None) -> dict | None:
    """A checkpoint as the API shows it (what the worker keeps beside it left out)."""
    if not checkpoint:
        return None
    return {key: checkpoint.get(key) for key in CHECKPOINT_FIELDS}


def pause_job(job: Job, checkpoint: dict, step: str) -> None:
    """The worker stops at a checkpoint: the job waits (slot_needed, a new item_version)
    holding no worker until it is confirmed (committed); polls read its row."""
    job.status, job.current_step = JobStatus.SLOT_NEEDED, step[:200]
    job.checkpoint = checkpoint
    job.item_version += 1
    job.paused_at = utcnow()
    job.touch()
    db.session.commit()
    live.forget_job_state(job.id)


def queue_entry_id(job: Job) -> str:
    """The id of the job's entry in the queue: its own id, and after a checkpoint a new
    one for each resume (the entry of the run that paused stays with RQ a while, so it
    cannot be reused)."""
    if job.checkpoint is not None and job.paused_at is None:
        return f"{job.id}-{job.item_version}"
    return job.id


def running_job_state(job_id: str, user_id: str) -> dict | None:
    """The running job started by user `user_id` straight from Redis (no database read),
    or None: not running, started by somebody else, its worker gone, or Redis unreachable.
    Callers then read the row with `get_job_or_404`, which applies the workspace rule: a
    teammate's job takes that path. The starter must still be a member of the job's
    workspace (one indexed query), so the fast path never shows more than `access`
    would."""
    if not is_valid_id(job_id):
        return None
    found = live.read_running_state(job_id)
    if found is None or found[0].get("user_id") != user_id:
        return None
    state, streamed = found
    if state.get("project_id") and not is_member_of_project(user_id, state["project_id"]):
        return None
    state["progress"], state["current_step"] = finer_progress(
        state["progress"], state["current_step"], streamed
    )
    return state


def is_member_of_project(user_id: str, project_id: str) -> bool:
    return (
        db.session.execute(
            db.select(Membership.id)
            .join(Project, Project.workspace_id == Membership.workspace_id)
            .where(Project.id == project_id, Membership.user_id == user_id)
        ).first()
        is not None
    )


def complete_job(job: Job, result: dict) -> None:
    """Mark the job completed with `result` and commit, with whatever else the session
    holds (the job's final transition is one commit)."""
    _finish(job, JobStatus.COMPLETED, "Done", progress=100, result=result)


def fail_job(job: Job, message: str) -> None:
    """Mark the job failed with `message` and commit, with the rest of the session."""
    _finish(job, JobStatus.FAILED, "Failed", error_message=message)


def fail_job_by_id(job_id: str, message: str) -> None:
    """Fail the job `job_id` unless it has finished (a job type without an entry in the
    job registry: there is nothing else to settle)."""
    db.session.rollback()
    job = db.session.get(Job, job_id)
    if job is not None and not job.is_finished:
        fail_job(job, message)


def cancel_job_row(job: Job, message: str = "Cancelled by the user.") -> None:
    """Mark the job cancelled and commit, with the rest of the session."""
    _finish(job, JobStatus.CANCELLED, "Cancelled", error_message=message)


def _finish(job: Job, status: str, step: str, **fields) -> None:
    """The job's last transition, committed together with the rest of the session (the
    result, the post or source, the charge), and its live state dropped so polls read the
    row."""
    job.status, job.current_step = status, step
    for name, value in fields.items():
        setattr(job, name, value)
    job.finished_at = utcnow()
    job.touch()
    db.session.commit()
    live.forget_job_state(job.id)


def live_progress(job: Job) -> tuple[int, str | None]:
    """The job's progress and current step. While it runs, the worker's finer figures in
    Redis (updated as text streams) win over the row's, which only moves at each step."""
    if job.status == JobStatus.PROCESSING:
        return finer_progress(job.progress, job.current_step, live.read_progress(job.id))
    return job.progress, job.current_step


def finer_progress(
    progress: int, step: str | None, streamed: tuple[int, str] | None
) -> tuple[int, str | None]:
    """The streamed (percent, step) when it is further along than the stored one."""
    if streamed and streamed[0] > progress:
        return streamed
    return progress, step


def get_job_or_404(job_id: str, user: User, need: Permission = Permission.READ) -> Job:
    """A job of a workspace `user` belongs to (or one they started outside any project),
    if their role allows `need`; anybody else's, or a missing one, is JOB_NOT_FOUND."""
    return get_owned_or_404(
        Job, job_id, user, need=need, code=ErrorCode.JOB_NOT_FOUND, message="Job not found."
    )


def list_jobs(
    user: User,
    status: str | None = None,
    job_type: str | None = None,
    project_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[Job]:
    """The jobs `user` started, newest first, with optional filters."""
    query = db.select(Job).where(Job.user_id == user.id)
    if status:
        query = query.where(Job.status == status)
    if job_type:
        query = query.where(Job.job_type == job_type)
    if project_id:
        query = query.where(Job.project_id == project_id)
    return paginate(query, order_by=newest_first(Job), limit=limit, offset=offset)


def failed_jobs(limit: int = 20, job_type: str | None = None) -> list[tuple[Job, str]]:
    """Everybody's failed jobs, the latest to fail first, with the email of their user
    (for operators: `flask jobs failed`)."""
    query = (
        db.select(Job, User.email)
        .join(User, User.id == Job.user_id)
        .where(Job.status == JobStatus.FAILED)
    )
    if job_type:
        query = query.where(Job.job_type == job_type)
    rows = db.session.execute(
        query.order_by(Job.finished_at.desc(), Job.id.desc()).limit(limit)
    ).all()
    return [(job, email) for job, email in rows]
