"""Parsing and URL import jobs (queue `<prefix>-default`)."""

from __future__ import annotations

from flask import current_app
from rq import get_current_job
from rq.timeouts import JobTimeoutException

from ..errors import log_unexpected, with_reference
from ..services import job_registry, live, source_reading
from ..services.fetch import FetchError
from ..services.parsing import ParseError
from ..vocabulary import JobType
from .horse import hit_memory_cap, prepare_work_horse

MEMORY_MESSAGE = (
    "The document needs more memory to parse than this server allows; split it into smaller files."
)
UNEXPECTED_MESSAGE = (
    "Something went wrong on our side while reading this source; try again, "
    "and quote this reference if it keeps failing"
)


@job_registry.task(JobType.DOCUMENT_PARSING)
def parse_source_task(source_id: str) -> None:
    _guarded(source_id, source_reading.run_parse)


@job_registry.task(JobType.URL_IMPORT)
def import_url_task(source_id: str) -> None:
    _guarded(source_id, source_reading.run_url_import)


def _guarded(source_id: str, work) -> None:
    """Run `work`; whatever stops it, the source ends `failed` with a reason, and the
    exception still reaches RQ so the job is failed there too."""
    prepare_work_horse()
    try:
        with live.Heartbeat(get_current_job().id):
            work(source_id)
    except (ParseError, FetchError):
        if hit_memory_cap():  # a library's error that was really a failed allocation
            source_reading.record_failure(source_id, MEMORY_MESSAGE)
        raise  # otherwise the service recorded the reason
    except JobTimeoutException:
        seconds = current_app.config["PARSE_TIMEOUT_SECONDS"]
        source_reading.record_failure(
            source_id,
            f"Parsing took longer than {seconds} s and was "
            "stopped; the document may be too large or complex.",
        )
        raise
    except Exception as exc:
        if isinstance(exc, MemoryError) or hit_memory_cap():
            source_reading.record_failure(source_id, MEMORY_MESSAGE)
            raise
        # Storage, database or library failures: their text stays in the log.
        error_id = log_unexpected(exc, f"source {source_id} could not be read")
        source_reading.record_failure(source_id, with_reference(UNEXPECTED_MESSAGE, error_id))
        raise
