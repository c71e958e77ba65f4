"""Job rows: created with the work they track, advanced by the worker, read by the API."""
from __future__ import annotations

from ..extensions import db
from ..models import Job, Project, User
from ..timeutil import utcnow


def create_job(user: User, job_type: str, project: Project | None = None,
               total_items: int = 1) -> Job:
    """A queued job (not committed: it is saved with the object it works on)."""
    job = Job(user_id=user.id, project_id=project.id if project else None,
              job_type=job_type, status="queued", total_items=total_items)
    db.session.add(job)
    return job


def start_job(job: Job, step: str) -> None:
    job.status = "processing"
    job.started_at = job.started_at or utcnow()
    set_progress(job, 5, step)


def set_progress(job: Job, percent: int, step: str) -> None:
    job.progress = max(0, min(100, percent))
    job.current_step = step[:200]
    job.touch()
    db.session.commit()


def complete_job(job: Job, result: dict) -> None:
    job.status = "completed"
    job.progress = 100
    job.current_step = "Done"
    job.result = result
    job.finished_at = utcnow()
    job.touch()
    db.session.commit()


def fail_job(job: Job, message: str) -> None:
    job.status = "failed"
    job.error_message = message
    job.current_step = "Failed"
    job.finished_at = utcnow()
    job.touch()
    db.session.commit()
