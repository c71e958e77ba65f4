"""The job registry's table: what each job type's jobs do when they run, fail, are
cancelled or retried, and which plan limits they count toward (`job_registry.JobKind`)."""

from __future__ import annotations

from ..vocabulary import JobType
from .job_registry import JobKind, Limit


def declared_kinds() -> list[JobKind]:
    """One entry per job type (see job_registry for what an entry says)."""
    # Imported here: these services enqueue through job_registry, which reads this table
    # on first use, so importing them at the top would be a cycle.
    from . import bulk, generation_jobs, source_reading, sources
    from .review import suggestions

    return [
        JobKind(
            JobType.CONTENT_GENERATION,
            label="Generation",
            in_process=True,
            record_failure=generation_jobs.record_failure_for_job,
            dead_worker_message=generation_jobs.DEAD_WORKER_MESSAGE,
            lost_message=generation_jobs.LOST_MESSAGE,
            timeout_setting="GENERATION_TIMEOUT_SECONDS",
            limits=frozenset({Limit.CONCURRENCY, Limit.POST_QUOTA}),
            cancel=generation_jobs.cancel,
            retry=generation_jobs.retry,
            post_of=generation_jobs.post_of,
        ),
        JobKind(
            JobType.DOCUMENT_PARSING,
            label="Parsing",
            in_process=False,
            record_failure=source_reading.record_failure_for_job,
            dead_worker_message=sources.DEAD_PARSER_MESSAGE,
            lost_message=sources.LOST_PARSE_MESSAGE,
            timeout_setting="PARSE_TIMEOUT_SECONDS",
            limits=frozenset({Limit.PARSE_QUEUE}),
            retry=sources.retry,
        ),
        JobKind(
            JobType.URL_IMPORT,
            label="Import",
            in_process=False,
            record_failure=source_reading.record_failure_for_job,
            dead_worker_message=sources.DEAD_IMPORTER_MESSAGE,
            lost_message=sources.LOST_PARSE_MESSAGE,
            timeout_setting="PARSE_TIMEOUT_SECONDS",
            limits=frozenset({Limit.PARSE_QUEUE}),
            retry=sources.retry,
        ),
        JobKind(
            JobType.BULK_GENERATION,
            label="Bulk generation",
            in_process=True,
            record_failure=bulk.record_failure_for_job,
            dead_worker_message=bulk.DEAD_WORKER_MESSAGE,
            lost_message=bulk.LOST_MESSAGE,
            timeout_setting="BULK_TIMEOUT_SECONDS",
            # One job however many rows: it writes at most the plan's concurrency at a time.
            limits=frozenset({Limit.CONCURRENCY, Limit.POST_QUOTA}),
            cancel=bulk.cancel,
        ),
        JobKind(
            JobType.AI_EDIT,
            label="Suggestion",
            in_process=True,
            record_failure=suggestions.record_failure_for_job,
            dead_worker_message=suggestions.DEAD_WORKER_MESSAGE,
            lost_message=suggestions.LOST_MESSAGE,
            timeout_setting="GENERATION_TIMEOUT_SECONDS",
            limits=frozenset({Limit.CONCURRENCY}),  # no post quota: it writes no post
        ),
    ]
