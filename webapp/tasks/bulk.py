"""Bulk generation jobs (queue `<prefix>-default`)."""

from __future__ import annotations

from ..errors import AppError
from ..services import bulk, job_registry
from ..vocabulary import JobType
from .guard import run_guarded

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
    run_guarded(
        job_id,
        bulk.run_bulk,
        bulk.record_failure_for_job,
        what="bulk job",
        timeout_setting="BULK_TIMEOUT_SECONDS",
        timeout_message="The bulk job took longer than {seconds} s and was stopped.",
        unexpected_message=UNEXPECTED_MESSAGE,
        readable=(AppError,),  # the CSV cannot be read any more, storage is down
    )
