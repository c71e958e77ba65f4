"""No job is ever stuck: a job whose worker died (killed, out of memory, machine gone) is
failed with a reason once its heartbeat has lapsed.

Workers run `reap_stale_jobs` every few seconds between jobs, and reading a job
(`repair_if_stale`) checks it too, so a job is settled even when no worker is left."""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app

from ..extensions import db
from ..models import Job
from ..timeutil import utcnow
from . import generation_jobs, live, sources
from .jobs import fail_job

log = logging.getLogger(__name__)
DEAD_WORKER_MESSAGE = ("The worker running this job stopped unexpectedly (it was killed or "
                       "crashed), so the job was stopped. Nothing was charged; try again.")


def is_stale(job: Job) -> bool:
    """Running, not reported for JOB_STALE_SECONDS, and no heartbeat in Redis."""
    if job.status != "processing":
        return False
    grace = timedelta(seconds=current_app.config["JOB_STALE_SECONDS"])
    if job.updated_at and utcnow() - job.updated_at < grace:
        return False
    return live.is_alive(job.id) is False  # None: Redis unreachable, decide nothing


def fail_dead_job(job: Job) -> None:
    log.warning("job %s (%s): worker gone, failing it", job.id, job.job_type)
    if job.job_type == "content_generation":
        generation_jobs.record_failure_for_job(job.id, DEAD_WORKER_MESSAGE)
    else:
        sources.record_failure_for_job(job.id, "The worker parsing this document stopped "
                                               "unexpectedly; upload it again.")
        db.session.refresh(job)
        if not job.is_finished:
            fail_job(job, DEAD_WORKER_MESSAGE)


def repair_if_stale(job: Job) -> Job:
    if is_stale(job):
        fail_dead_job(job)
        db.session.refresh(job)
    return job


def reap_stale_jobs() -> int:
    """Fail every stale job; returns how many."""
    cutoff = utcnow() - timedelta(seconds=current_app.config["JOB_STALE_SECONDS"])
    candidates = db.session.execute(db.select(Job).where(
        Job.status == "processing", Job.updated_at < cutoff)).scalars().all()
    reaped = 0
    for job in candidates:
        if is_stale(job):
            fail_dead_job(job)
            reaped += 1
    return reaped
