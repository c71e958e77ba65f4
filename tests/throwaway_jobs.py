"""Job kinds that exist only for the tests: adding a job type is one registry entry plus
its task. The worker imports this module by the task's import path when it first meets
one of these jobs, which registers the kinds there too."""

from __future__ import annotations

import os
import signal

from webapp.extensions import db
from webapp.models import Job
from webapp.services import job_registry, jobs

ECHO_HERE = "test_echo_here"  # runs in the worker process
ECHO_HORSE = "test_echo_horse"  # runs in a forked work horse
DEAD_MESSAGE = "The echo worker died; echo again."
LOST_MESSAGE = "The echo was lost from the queue; echo again."
REFUSED = "The echo refused: "


def record_echo_failure(job_id: str, message: str) -> None:
    """Echo jobs have nothing but their row to settle."""
    db.session.rollback()
    job = db.session.get(Job, job_id)
    if job is not None and not job.is_finished:
        jobs.fail_job(job, message)


for job_type, in_process in ((ECHO_HERE, True), (ECHO_HORSE, False)):
    job_registry.register(
        job_registry.JobKind(
            job_type,
            label="Echo",
            in_process=in_process,
            record_failure=record_echo_failure,
            dead_worker_message=DEAD_MESSAGE,
            lost_message=LOST_MESSAGE,
            timeout_setting="PARSE_TIMEOUT_SECONDS",
        )
    )


def echo(job_id: str, text: str) -> None:
    """Complete the job with `text` and the process that ran it; "die" kills that
    process, "refuse" fails the job as its kind records failures."""
    job = db.session.get(Job, job_id)
    jobs.start_job(job, "Echoing")
    if text == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if text.startswith("refuse"):
        job_registry.kind_of(job).record_failure(job_id, REFUSED + text)
        return
    jobs.complete_job(job, {"echo": text, "pid": os.getpid()})


@job_registry.task(ECHO_HERE)
def echo_here_task(job_id: str, text: str) -> None:
    try:
        echo(job_id, text)
    finally:
        db.session.remove()


@job_registry.task(ECHO_HORSE)
def echo_horse_task(job_id: str, text: str) -> None:
    db.session.remove()
    db.engine.dispose(close=False)  # a forked horse must not use the parent's connections
    echo(job_id, text)
