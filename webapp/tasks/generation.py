"""Generation jobs (queue `<prefix>-default`)."""
from __future__ import annotations

import logging

from flask import current_app
from rq.timeouts import JobTimeoutException

from ..extensions import db
from ..services import generation_jobs, live
from ..services.llm import LLMError

log = logging.getLogger(__name__)


def generate_post_task(job_id: str) -> None:
    """Write one post. Whatever stops it, the job and post end `failed` with a reason
    (never charged), and the exception still reaches RQ. Runs in the worker process
    itself (worker.py), so it leaves no session behind."""
    try:
        with live.Heartbeat(job_id):
            generation_jobs.run_generation(job_id)
    except LLMError as exc:
        generation_jobs.record_failure_for_job(job_id, exc.message)
        raise
    except JobTimeoutException:
        seconds = current_app.config["GENERATION_TIMEOUT_SECONDS"]
        generation_jobs.record_failure_for_job(
            job_id, f"Generation took longer than {seconds} s and was stopped.")
        raise
    except Exception as exc:
        log.exception("job %s failed", job_id)
        generation_jobs.record_failure_for_job(
            job_id, f"Unexpected error while generating ({type(exc).__name__}); the team has "
                    "the details in the worker log. Nothing was charged.")
        raise
    finally:
        db.session.remove()
