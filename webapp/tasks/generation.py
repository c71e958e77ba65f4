"""Generation jobs (queue `<prefix>-default`)."""

from __future__ import annotations

from flask import current_app
from rq.timeouts import JobTimeoutException

from ..errors import log_unexpected, with_reference
from ..extensions import db
from ..services import generation_jobs, job_registry, live
from ..services.llm import LLMError
from ..vocabulary import JobType

UNEXPECTED_MESSAGE = (
    "Something went wrong on our side while writing this post; nothing was "
    "charged. Try again, and quote this reference if it keeps failing"
)


@job_registry.task(JobType.CONTENT_GENERATION)
def generate_post_task(job_id: str) -> None:
    """Write one post. Whatever stops it, the job and post end `failed` with a reason
    (never charged), and the exception still reaches RQ. Runs in the worker process
    itself (its registry entry says so), so it leaves no session behind."""
    try:
        with live.Heartbeat(job_id):
            generation_jobs.run_generation(job_id)
    except LLMError as exc:
        generation_jobs.record_failure_for_job(job_id, exc.message)
        raise
    except JobTimeoutException:
        seconds = current_app.config["GENERATION_TIMEOUT_SECONDS"]
        generation_jobs.record_failure_for_job(
            job_id, f"Generation took longer than {seconds} s and was stopped."
        )
        raise
    except Exception as exc:  # database, storage, library: their text stays in the log
        error_id = log_unexpected(exc, f"generation job {job_id} failed")
        generation_jobs.record_failure_for_job(job_id, with_reference(UNEXPECTED_MESSAGE, error_id))
        raise
    finally:
        db.session.remove()
