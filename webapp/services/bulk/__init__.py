"""Bulk generation (reference 004's Bulk Generation Example): one `bulk_generation` job
writes a post for each usable row of a topics CSV source, and reports every row in
`result.rows` as it goes.

- `submit`: the request's checks (bulk_limit, concurrency, quota) and the queued job;
- `rows`: the CSV's rows as briefs, or why a row cannot be written;
- `runner`: the worker's side, rows written in threads at the plan's concurrency;
- `state`: the job's rows and progress, how it ends, cancel and recorded failures.
"""

from .rows import BULK_WORKFLOWS, BulkRow, plan_rows
from .runner import run_bulk
from .state import (
    CANCELLED_MESSAGE,
    DEAD_WORKER_MESSAGE,
    LOST_MESSAGE,
    cancel,
    csv_filename,
    record_failure_for_job,
    rows_of,
)
from .submit import request_bulk_generation

__all__ = [
    "BULK_WORKFLOWS",
    "CANCELLED_MESSAGE",
    "DEAD_WORKER_MESSAGE",
    "LOST_MESSAGE",
    "BulkRow",
    "cancel",
    "csv_filename",
    "plan_rows",
    "record_failure_for_job",
    "request_bulk_generation",
    "rows_of",
    "run_bulk",
]
