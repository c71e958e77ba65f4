"""The job contract: one table says, for each job type, how its jobs run and end.

A `JobKind` entry holds everything the worker, the reaper, cancel, the job page, retry and
the plan limits need to know about a job type, so none of them branches on `job_type`:

- its task (a function, bound by the task module with `@job_registry.task(JobType.X)`,
  because services never import `webapp/tasks`) and whether it runs in the worker process
  itself (`in_process`: it only waits on the network) or in a forked work horse (parsing:
  capped memory, killable on a timeout);
- `record_failure(job_id, message)`: how a failure is recorded on the job and the object
  it works on, in one commit (also used for a dead worker or a job lost from the queue,
  with `dead_worker_message` / `lost_message`);
- `cancel(job)`: None when its jobs cannot be cancelled;
- `retry(failed_job) -> Job`: runs the failed job's work again as a new queued job
  (`flask jobs retry`), raising `AppError` when it cannot;
- `timeout_setting`: the config key of its time limit; `limits`: the plan limits its
  queued and running jobs count toward (`Limit.CONCURRENCY`, `Limit.POST_QUOTA`,
  `Limit.PARSE_QUEUE`);
- `post_of(job_id)`: the post the job writes, for the job page (None for other work).

Adding a job type is one entry in `job_kinds.declared_kinds()` (or `register(JobKind(...))` from
elsewhere, as the tests do) plus its task function decorated with `@job_registry.task`
in a module that `webapp/tasks/__init__.py` imports. Enqueue with `enqueue(job, *args)`.

Tasks that are not Job rows (mail delivery) are bound with `@internal_task(name, ...)`
and queued with `enqueue_internal(name, ...)`; the worker asks `runs_in_process(func)`
for both kinds of task.

The table is built on first use: the services it names enqueue through this module, so
it cannot import them while they are still being imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from flask import current_app

from ..errors import AppError, ErrorCode
from ..extensions import db
from ..models import Job, Post
from ..vocabulary import JobStatus
from . import jobs, queue

DEAD_WORKER_MESSAGE = "The worker running this job stopped unexpectedly."
LOST_MESSAGE = "The job was lost from the queue (its entry in Redis disappeared)."


class Limit(StrEnum):
    """Plan limits a queued or running job counts toward."""

    CONCURRENCY = "concurrency"  # the plan's jobs at a time (services/quota.py)
    POST_QUOTA = "post_quota"  # reserves posts of the monthly quota at submit
    PARSE_QUEUE = "parse_queue"  # documents waiting to be parsed (services/source_limits.py)


class InternalTask(StrEnum):
    """Queued work that has no Job row."""

    DELIVER_MAIL = "deliver_mail"


@dataclass(frozen=True)
class JobKind:
    job_type: str
    label: str  # "Generation failed: ..." on the job page
    in_process: bool
    record_failure: Callable[[str, str], None]
    dead_worker_message: str
    lost_message: str
    timeout_setting: str
    limits: frozenset[Limit] = frozenset()
    cancel: Callable[[Job], object] | None = None
    retry: Callable[[Job], Job] | None = None
    post_of: Callable[[str], Post | None] = field(default=lambda job_id: None)

    @property
    def cancellable(self) -> bool:
        return self.cancel is not None


@dataclass(frozen=True)
class InternalKind:
    name: str
    in_process: bool


_registered: dict[str, JobKind] = {}
_tasks: dict[str, Callable] = {}  # job type -> task function
_internal: dict[str, InternalKind] = {}
_internal_tasks: dict[str, Callable] = {}
_job_type_of_task: dict[Callable, str] = {}


@cache
def _kinds() -> dict[str, JobKind]:
    from .job_kinds import declared_kinds  # they import this module for JobKind

    kinds = {kind.job_type: kind for kind in declared_kinds()}
    kinds.update(_registered)
    return kinds


def register(kind: JobKind) -> JobKind:
    """Add (or replace) the entry of `kind.job_type`."""
    _registered[kind.job_type] = kind
    _kinds.cache_clear()
    return kind


def generic_kind(job_type: str) -> JobKind:
    """What is known of a job type without an entry (a row left by an older version):
    failing its row is all that can be done."""
    return JobKind(
        job_type,
        label="Job",
        in_process=False,
        record_failure=jobs.fail_job_by_id,
        dead_worker_message=DEAD_WORKER_MESSAGE,
        lost_message=LOST_MESSAGE,
        timeout_setting="PARSE_TIMEOUT_SECONDS",
    )


def kind(job_type: str) -> JobKind:
    """The entry of `job_type` (a generic one when it has none)."""
    return _kinds().get(job_type) or generic_kind(job_type)


def kind_of(job: Job) -> JobKind:
    return kind(job.job_type)


def job_types_counting_toward(limit: Limit) -> tuple[str, ...]:
    """The job types whose queued and running jobs count toward `limit`."""
    return tuple(sorted(t for t, k in _kinds().items() if limit in k.limits))


# ------------------------------------------------------------------ binding tasks


def task(job_type: str):
    """Decorator for the task function of `job_type` (in a module of webapp/tasks)."""

    def bind(function):
        _tasks[job_type] = function
        _job_type_of_task[function] = job_type
        return function

    return bind


def internal_task(name: str, *, in_process: bool):
    """Decorator for a task that has no Job row (mail delivery)."""

    def bind(function):
        _internal[name] = InternalKind(name, in_process)
        _internal_tasks[name] = function
        return function

    return bind


def task_of(job_type: str) -> Callable:
    try:
        return _tasks[job_type]
    except KeyError:
        raise LookupError(
            f"no task is bound to job type {job_type!r}: is its module "
            "imported by webapp/tasks/__init__.py?"
        ) from None


def kind_of_task(function: Callable) -> JobKind | InternalKind | None:
    """The entry a task function was bound for, or None."""
    if function in _job_type_of_task:
        return kind(_job_type_of_task[function])
    return next(
        (_internal[name] for name, bound in _internal_tasks.items() if bound is function), None
    )


def runs_in_process(function: Callable) -> bool:
    """Whether the worker runs `function` in its own process instead of a work horse."""
    found = kind_of_task(function)
    return found is not None and found.in_process


# ------------------------------------------------------------------ using the table


def enqueue(job: Job, *args, description: str) -> None:
    """Queue the task of `job`'s type with `args` as RQ job `job.id` (a resumed job's
    entry: `jobs.queue_entry_id`), within its kind's time limit; SERVICE_UNAVAILABLE when
    Redis is down (the caller undoes its rows)."""
    job_kind = kind_of(job)
    queue.enqueue(
        task_of(job.job_type),
        *args,
        job_id=jobs.queue_entry_id(job),
        description=description,
        timeout=current_app.config[job_kind.timeout_setting],
    )


def enqueue_internal(name: str, *args, job_id: str, timeout: int, description: str) -> None:
    """Queue the internal task `name` (see `internal_task`)."""
    queue.enqueue(
        _internal_tasks[name], *args, job_id=job_id, timeout=timeout, description=description
    )


def cancel(job: Job) -> Job:
    """Cancel `job` as its kind does; INVALID_STATE when it cannot be cancelled or has
    already finished."""
    job_kind = kind_of(job)
    if not job_kind.cancellable:
        raise AppError(
            f"{job_kind.label} jobs cannot be cancelled; they stop on their own "
            "within their time limit.",
            code=ErrorCode.INVALID_STATE,
        )
    if job.is_finished:
        raise AppError(f"The job is already {job.status}.", code=ErrorCode.INVALID_STATE)
    job_kind.cancel(job)
    return job


def fail_dead(job: Job, lost: bool, note: str = "") -> None:
    """Record that `job`'s worker died (or, `lost`, that its queue entry vanished)."""
    job_kind = kind_of(job)
    message = job_kind.lost_message if lost else job_kind.dead_worker_message
    job_kind.record_failure(job.id, message + note)


def retry(job_id: str) -> Job:
    """Run a failed job's work again as a new queued job; AppError (INVALID_STATE) when
    the job is not failed, its kind cannot be retried or what it worked on is gone."""
    job = db.session.get(Job, job_id)
    if job is None:
        raise AppError(f"There is no job {job_id}.", code=ErrorCode.JOB_NOT_FOUND, status=404)
    if job.status != JobStatus.FAILED:
        raise AppError(
            f"Job {job.id} is {job.status}; only failed jobs can be retried.",
            code=ErrorCode.INVALID_STATE,
        )
    job_kind = kind_of(job)
    if job_kind.retry is None:
        raise AppError(f"{job_kind.label} jobs cannot be retried.", code=ErrorCode.INVALID_STATE)
    return job_kind.retry(job)
