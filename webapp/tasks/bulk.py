"""Bulk generation jobs (queue `<prefix>-default`)."""

from __future__ import annotations

from flask import current_app
from rq.timeouts import JobTimeoutException

from ..errors import AppError, log_unexpected, with_reference
from ..extensions import db
from ..services import bulk, job_registry, live
from ..vocabulary import JobType

UNEXPECTED_MESSAGE = (
    "Something went wrong on our side while running this bulk job; the posts already "
    "written are kept and the rest were not charged. Try again, and quote this reference "
    "if it keeps failing"
)


@job_registry.task(JobType.BULK_GENERATION)
def bulk_generate_task(job_id: str) -> None:
    """Write a post per row of the job's CSV. Whatever stops the job as a whole, it and its
    unfinished rows end `failed` with a reason, and the exception still reaches RQ (a row's
    own failure is that row's, and the job goes on). Runs in the worker process itself."""
    try:
        with live.Heartbeat(job_id):
            bulk.run_bulk(job_id)
    except AppError as exc:  # the CSV cannot be read any more, storage is down
        bulk.record_failure_for_job(job_id, exc.message)
        raise
    except JobTimeoutException:
        seconds = current_app.config["BULK_TIMEOUT_SECONDS"]
        bulk.record_failure_for_job(
            job_id, f"The bulk job took longer than {seconds} s and was stopped."
        )
        raise
    except Exception as exc:  # database, storage, library: their text stays in the log
        error_id = log_unexpected(exc, f"bulk job {job_id} failed")
        bulk.record_failure_for_job(job_id, with_reference(UNEXPECTED_MESSAGE, error_id))
        raise
    finally:
        db.session.remove()
