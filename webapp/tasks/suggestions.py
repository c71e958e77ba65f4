"""Suggestion jobs (`ai_edit`, queue `<prefix>-default`)."""

from __future__ import annotations

from flask import current_app
from rq.timeouts import JobTimeoutException

from ..errors import AppError, log_unexpected, with_reference
from ..extensions import db
from ..services import job_registry, live
from ..services.llm import LLMError
from ..services.review import suggestions
from ..vocabulary import JobType

UNEXPECTED_MESSAGE = (
    "Something went wrong on our side while writing this suggestion. Ask again, and "
    "quote this reference if it keeps failing"
)


@job_registry.task(JobType.AI_EDIT)
def suggest_task(job_id: str) -> None:
    """Write one suggestion. Whatever stops it, the job and the suggestion end `failed`
    with a reason, and the exception still reaches RQ (the service records its own
    failures: the model's, a passage gone)."""
    try:
        with live.Heartbeat(job_id):
            suggestions.run_suggestion(job_id)
    except JobTimeoutException:
        seconds = current_app.config["GENERATION_TIMEOUT_SECONDS"]
        suggestions.record_failure_for_job(
            job_id, f"The suggestion took longer than {seconds} s and was stopped."
        )
        raise
    except (AppError, LLMError):
        raise  # recorded by the service, with its reason
    except Exception as exc:  # database, library: their text stays in the log
        error_id = log_unexpected(exc, f"suggestion job {job_id} failed")
        suggestions.record_failure_for_job(job_id, with_reference(UNEXPECTED_MESSAGE, error_id))
        raise
    finally:
        db.session.remove()
