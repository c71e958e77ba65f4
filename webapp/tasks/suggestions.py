"""Suggestion jobs (`ai_edit`, queue `<prefix>-default`)."""

from __future__ import annotations

from ..errors import AppError
from ..services import job_registry
from ..services.llm import LLMError
from ..services.review import suggestions
from ..vocabulary import JobType
from .guard import run_guarded

UNEXPECTED_MESSAGE = (
    "Something went wrong on our side while writing this suggestion. Ask again, and "
    "quote this reference if it keeps failing"
)


@job_registry.task(JobType.AI_EDIT)
def suggest_task(job_id: str) -> None:
    """Write one suggestion. Whatever stops it, the job and the suggestion end `failed`
    with a reason, and the exception still reaches RQ (the service records its own
    failures: the model's, a passage gone)."""
    run_guarded(
        job_id,
        suggestions.run_suggestion,
        suggestions.record_failure_for_job,
        what="suggestion job",
        timeout_setting="GENERATION_TIMEOUT_SECONDS",
        timeout_message="The suggestion took longer than {seconds} s and was stopped.",
        unexpected_message=UNEXPECTED_MESSAGE,
        recorded=(AppError, LLMError),
    )
