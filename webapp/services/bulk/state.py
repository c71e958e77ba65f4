"""What a bulk job reports (`result.rows`, `result.post_ids`, `progress`), how it ends,
and stopping it: cancel, or a failure recorded for the whole job (a dead worker, a
timeout, an unexpected error)."""

from __future__ import annotations

from ...errors import ErrorCode
from ...extensions import db
from ...models import Job, Source
from ...vocabulary import BulkRowStatus, JobStatus, JobType
from .. import jobs, live, queue, quota
from .rows import BulkRow, row_error

CANCELLED_MESSAGE = "Cancelled by the user; the posts already written are kept."
DEAD_WORKER_MESSAGE = (
    "The worker running this bulk job stopped unexpectedly (it was killed or crashed), so "
    "the job was stopped. The posts already written are kept; the rest were not charged."
)
LOST_MESSAGE = (
    "The bulk job was lost from the queue (its entry in Redis disappeared, for example when "
    "Redis restarted without its data), so it was stopped; nothing was charged. Start it "
    "again."
)
FINISHED_ROW = (BulkRowStatus.COMPLETED, BulkRowStatus.FAILED, BulkRowStatus.CANCELLED)


class BulkState:
    """The rows of a running job, in spreadsheet order, saved to the job row (and shared
    with status polls) by `save`."""

    def __init__(self, job: Job, rows: list[BulkRow]):
        self.job = job
        self.entries = [row.entry() for row in rows]
        self._by_row = {entry["row"]: entry for entry in self.entries}
        self.changed = True

    def mark(self, row: int, status: BulkRowStatus, *, post_id=None, error=None) -> None:
        self._by_row[row].update(status=status, post_id=post_id, error=error)
        self.changed = True

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def done(self) -> int:
        return sum(entry["status"] in FINISHED_ROW for entry in self.entries)

    @property
    def post_ids(self) -> list[str]:
        return [entry["post_id"] for entry in self.entries if entry["post_id"]]

    def result(self) -> dict:
        return result_of(self.entries)

    def save(self) -> None:
        """The rows and progress, committed with whatever the session holds (a row's post)
        and published for status polls; nothing when no row changed."""
        if not self.changed:
            return
        self.job.result = self.result()
        done, total = self.done, self.total
        jobs.set_progress(self.job, done * 100 // max(total, 1), f"{done} of {total} rows done")
        self.changed = False


def result_of(entries: list[dict]) -> dict:
    """`result` of a bulk job: its rows (copied: the JSON column is saved only when it is
    given a new value) and the posts they made, in row order."""
    return {
        "rows": [dict(entry) for entry in entries],
        "post_ids": [entry["post_id"] for entry in entries if entry["post_id"]],
    }


def finish(job: Job, state: BulkState, cancelled: bool) -> None:
    """End the job: cancelled, completed when a row made a post, failed when none did; the
    rest of the reservation released, in the same commit."""
    quota.release(job.id)
    job.result = state.result()
    if cancelled:
        jobs.cancel_job_row(job, CANCELLED_MESSAGE)
    elif state.post_ids:
        jobs.complete_job(job, job.result)
    else:
        jobs.fail_job(job, f"All {state.total} rows failed; each row of the result says why.")


def settle_unfinished(job: Job, status: BulkRowStatus, error: dict | None) -> None:
    """Give every queued or running row of the job `status` (and `error`)."""
    entries = [dict(entry) for entry in (job.result or {}).get("rows", [])]
    for entry in entries:
        if entry["status"] not in FINISHED_ROW:
            entry.update(status=status, error=error)
    job.result = result_of(entries)


def record_failure_for_job(job_id: str, message: str) -> None:
    """Fail the job and its unfinished rows with `message` and release what is left of
    its reservation, in one commit (the posts already written stay, charged)."""
    db.session.rollback()
    job = db.session.get(Job, job_id)
    quota.release(job_id)
    if job is not None and not job.is_finished:
        settle_unfinished(job, BulkRowStatus.FAILED, row_error(ErrorCode.INTERNAL_ERROR, message))
        jobs.fail_job(job, message)
    else:
        db.session.commit()


def cancel(job: Job) -> Job:
    """Cancel a bulk job (through `job_registry.cancel`): a queued one at once, a running
    one between rows (a row being written stops at its next step)."""
    live.request_cancel(job.id)
    if job.status == JobStatus.QUEUED:
        queue.cancel_queued(job.id)
        settle_unfinished(job, BulkRowStatus.CANCELLED, None)
        quota.release(job.id)
        jobs.cancel_job_row(job, CANCELLED_MESSAGE)
    return job


def rows_of(job: Job) -> list[dict] | None:
    """The rows of a bulk job as its page shows them; None for a job of another type."""
    if job.job_type != JobType.BULK_GENERATION:
        return None
    return (job.result or {}).get("rows", [])


def csv_filename(job: Job) -> str | None:
    """The name of the CSV source a bulk job reads (None once it is deleted)."""
    source_id = (job.params or {}).get("csv_source_id")
    source = db.session.get(Source, source_id) if source_id else None
    return source.filename if source else None
