"""No job is ever stuck: a job whose worker died (killed, out of memory, machine gone), or
a queued job whose entry in the queue was lost (Redis restarted without its data), is
failed with a reason and its reserved quota released, so it never blocks a plan; a job
left waiting at its outline checkpoint for 7 days is cancelled with a reason.

Workers run `reap_stale_jobs` every few seconds between jobs, and reading a job
(`repair_if_stale`) checks it too, so a job is settled even when no worker is left."""

from __future__ import annotations

import logging
from datetime import timedelta

import redis
from flask import current_app
from rq.job import Job as RQJob

from ..extensions import db
from ..models import Job
from ..timeutil import utcnow
from ..vocabulary import JobStatus
from . import job_registry, jobs, live
from .redis_conn import get_redis
from .workflows import checkpoints

log = logging.getLogger(__name__)
UNFINISHED = (JobStatus.QUEUED, JobStatus.PROCESSING)


def is_stale(job: Job) -> bool:
    """Not reported for JOB_STALE_SECONDS and, when running, no heartbeat in Redis; when
    queued, no longer in the queue."""
    if job.status not in UNFINISHED:
        return False
    grace = timedelta(seconds=current_app.config["JOB_STALE_SECONDS"])
    if job.updated_at and utcnow() - job.updated_at < grace:
        return False
    if job.status == JobStatus.QUEUED:
        return lost_from_queue(jobs.queue_entry_id(job)) is True
    return live.is_alive(job.id) is False  # None: Redis unreachable, decide nothing


def lost_from_queue(job_id: str) -> bool | None:
    """Whether the RQ job `job_id` no longer exists; None when Redis is unreachable."""
    try:
        return not RQJob.exists(job_id, connection=get_redis())
    except redis.RedisError:
        return None


def fail_dead_job(job: Job) -> None:
    """Fail `job` as its kind records failures, with its dead-worker or lost message."""
    lost = job.status == JobStatus.QUEUED
    log.warning(
        "job %s (%s): %s, failing it",
        job.id,
        job.job_type,
        "lost from the queue" if lost else "worker gone",
    )
    job_registry.fail_dead(job, lost)


def repair_if_stale(job: Job) -> Job:
    """`job`, failed first when its worker died, cancelled first when it waited too long
    at its checkpoint."""
    if is_stale(job):
        fail_dead_job(job)
        db.session.refresh(job)
    elif checkpoints.expire_if_overdue(job):
        db.session.refresh(job)
    return job


def reap_stale_jobs() -> int:
    """Fail every stale job (returns how many), and cancel the jobs that waited too long
    at their checkpoint."""
    expired = checkpoints.expire_paused_jobs()
    if expired:
        log.warning("cancelled %d job(s) left waiting at their checkpoint", expired)
    cutoff = utcnow() - timedelta(seconds=current_app.config["JOB_STALE_SECONDS"])
    candidates = (
        db.session.execute(
            db.select(Job).where(Job.status.in_(UNFINISHED), Job.updated_at < cutoff)
        )
        .scalars()
        .all()
    )
    reaped = 0
    for job in candidates:
        if is_stale(job):
            fail_dead_job(job)
            reaped += 1
    return reaped
