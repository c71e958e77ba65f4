"""Putting work on the RQ queue; the only place the web side talks to RQ. Services go
through `job_registry.enqueue`, which knows each job type's task and time limit."""

from __future__ import annotations

from collections.abc import Callable

import redis
from flask import current_app
from rq import Queue, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job as RQJob

from ..errors import ServiceUnavailable
from .redis_conn import get_redis

QUEUE_KINDS = ("default",)


def queue_name(kind: str = "default", config=None) -> str:
    """Queues are namespaced like every other key: `<REDIS_KEY_PREFIX>-<kind>`."""
    config = config or current_app.config
    return f"{config['REDIS_KEY_PREFIX']}-{kind}"


def enqueue(
    func: Callable, *args, job_id: str, timeout: int, description: str, kind: str = "default"
) -> None:
    """Enqueue `func(*args)` as RQ job `job_id`; SERVICE_UNAVAILABLE when Redis is down."""
    try:
        Queue(queue_name(kind), connection=get_redis()).enqueue(
            func,
            *args,
            job_id=job_id,
            job_timeout=timeout,
            description=description,
            result_ttl=24 * 3600,
            failure_ttl=7 * 24 * 3600,
        )
    except redis.RedisError as exc:
        raise ServiceUnavailable(
            "The job queue is unavailable right now; nothing was started. Try again shortly."
        ) from exc


def cancel_queued(job_id: str) -> None:
    """Take RQ job `job_id` off its queue, if it is still there; SERVICE_UNAVAILABLE when
    Redis is down."""
    try:
        RQJob.fetch(job_id, connection=get_redis()).cancel()
    except NoSuchJobError:
        pass
    except redis.RedisError as exc:
        raise ServiceUnavailable(
            "The job queue is unavailable right now; try again shortly."
        ) from exc


def keep_no_record_of_this_run() -> None:
    """The task running now leaves nothing in Redis when it returns (RQ otherwise keeps a
    finished task's record and result for a day): a job paused at a checkpoint is
    described by its row, and a hundred paused jobs must not weigh on Redis. No-op
    outside a worker."""
    running = get_current_job()
    if running is not None:
        running.result_ttl = 0
