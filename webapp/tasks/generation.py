"""Generation jobs (queue `<prefix>-default`)."""

from __future__ import annotations

from ..services import generation_jobs, job_registry
from ..services.llm import LLMError
from ..vocabulary import JobType
from .guard import run_guarded

UNEXPECTED_MESSAGE = (
    "Something went wrong on our side while writing this post; nothing was "
    "charged. Try again, and quote this reference if it keeps failing"
)


@job_registry.task(JobType.CONTENT_GENERATION)
def generate_post_task(job_id: str) -> None:
    """Write a job's posts. Whatever stops it, the job and its posts end `failed` with a
    reason (never charged), and the exception still reaches RQ. Runs in the worker process
    itself (its registry entry says so), so it leaves no session behind."""
    run_guarded(
        job_id,
        generation_jobs.run_generation,
        generation_jobs.record_failure_for_job,
        what="generation job",
        timeout_setting="GENERATION_TIMEOUT_SECONDS",
        timeout_message="Generation took longer than {seconds} s and was stopped.",
        unexpected_message=UNEXPECTED_MESSAGE,
        readable=(LLMError,),
    )
