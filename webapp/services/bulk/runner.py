"""The worker's side of a bulk job: one post per usable row, at most the plan's
concurrency of rows at a time.

Writer threads only run the writer (`generate` on the row's brief, with no database and no
app context: links and briefs are plain data made beforehand); this thread reads, saves
each post, charges it and updates the job's rows, so no session is shared across threads.
Rows beyond the posts reserved for the job fail with QUOTA_EXCEEDED; a cancel stops the
rows not started and, at its next step, each row being written."""

from __future__ import annotations

import logging
import threading
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from flask import current_app

from ...errors import ErrorCode, log_unexpected, with_reference
from ...extensions import db
from ...models import Job, LinkOpportunity, Post, Project, Source, User
from ...vocabulary import Activity, BulkRowStatus, PostStatus
from .. import activity, jobs, live, plans, quota, sources
from ..generation import Brief, GeneratedPost, JobCancelled, NullSink, generate, writer_for
from ..generation_jobs.inputs import make_brief
from ..links import insert_links
from ..llm import LLMError
from ..review import revisions
from .rows import BulkRow, plan_rows, row_error
from .state import BulkState, finish, record_failure_for_job

log = logging.getLogger(__name__)
# How often the job looks for a cancel while its rows are being written.
CANCEL_POLL_SECONDS = 0.5
SOURCE_GONE_MESSAGE = "The CSV source was deleted before the job started; nothing was written."
ROW_FAILED_MESSAGE = "Something went wrong on our side while writing this row; it was not charged"


@dataclass(frozen=True)
class LinkTarget:
    """A link opportunity as plain data, for the writer threads."""

    id: str
    target_url: str
    keywords: tuple[str, ...]
    anchor_text: str | None


class RowSink(NullSink):
    """The DraftSink of a row in a writer thread: nothing streams (the job's table shows the
    row's status); a cancel seen by the job stops the row at its next step."""

    def __init__(self, stop: threading.Event):
        self.stop = stop

    def check_cancelled(self) -> None:
        if self.stop.is_set():
            raise JobCancelled()


def run_bulk(job_id: str) -> None:
    """Write the posts of bulk job `job_id`, then end it (completed, failed or cancelled).
    A failure of the job as a whole is recorded by the caller (tasks/bulk.py)."""
    job = db.session.get(Job, job_id)
    if job is None or job.is_finished:
        log.info("bulk job %s: nothing to do (deleted or finished)", job_id)
        return
    source_id = (job.params or {}).get("csv_source_id")
    source = db.session.get(Source, source_id) if source_id else None
    if source is None:
        record_failure_for_job(job_id, SOURCE_GONE_MESSAGE)
        return
    jobs.start_job(job, "Reading the CSV")
    project = db.session.get(Project, job.project_id)
    plan, _ = plans.plan_and_holder_of(project)
    rows = plan_rows(project, plan, sources.topic_table(source))
    run = BulkRun(job, project, rows, plan.concurrent_limit)
    finish(job, run.state, cancelled=run.run())


class BulkRun:
    """The rows of one job being written; `run` returns whether the job was cancelled."""

    def __init__(self, job: Job, project: Project, rows: list[BulkRow], concurrency: int):
        self.job, self.project, self.rows = job, project, rows
        self.concurrency = max(1, concurrency)
        self.test_mode = bool((job.params or {}).get("test_mode"))
        # Posts the job may still write: what it holds reserved (None: no quota applies).
        self.posts_left = None if self.test_mode else quota.remaining_reserved(job.id)
        self.author = db.session.get(User, job.user_id)
        self.links = link_targets(project.id)
        self.state = BulkState(job, rows)
        self.stop = threading.Event()
        self.running: dict[Future, BulkRow] = {}

    def run(self) -> bool:
        self.state.save()
        pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="bulk-row")
        try:
            cancelled = self._write_rows(pool)
        except BaseException:
            self.stop.set()  # the rows being written stop at their next step
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        return cancelled

    def _write_rows(self, pool: ThreadPoolExecutor) -> bool:
        pending = deque(row for row in self.rows if row.writable)
        while pending or self.running:
            if live.cancel_requested(self.job.id):
                self.stop.set()
                break
            self._mark_processing(self._start(pool, pending))
            self.state.save()
            finished, _ = wait(self.running, CANCEL_POLL_SECONDS, FIRST_COMPLETED)
            written = [(future, self.running.pop(future)) for future in finished]
            # The pool is kept full while the written rows are saved (each save is a commit
            # and a push of the rows to Redis: saving first would idle the pool meanwhile);
            # the rows started meanwhile show as processing once those are saved, so the
            # table never shows more rows processing than the plan's concurrency.
            started = []
            if not live.cancel_requested(self.job.id):
                started = self._start(pool, pending, unsaved=len(written))
            self._settle(written)
            self._mark_processing(started)
        if not self.stop.is_set():
            return False
        self._settle([(future, self.running.pop(future)) for future in wait(self.running).done])
        for row in pending:
            self.state.mark(row.row, BulkRowStatus.CANCELLED)
        return True

    def _start(self, pool: ThreadPoolExecutor, pending: deque, unsaved: int = 0) -> list[BulkRow]:
        """Start rows until `concurrency` are being written, and return them (the caller
        marks them processing); a row for which no reserved post is left (counting the
        `unsaved` rows written but not yet charged) fails, unless a running or unsaved
        row may still give one back."""
        started = []
        while pending and len(self.running) < self.concurrency:
            if self.posts_left is not None and len(self.running) + unsaved >= self.posts_left:
                if self.running or unsaved:
                    return started
                self.state.mark(pending.popleft().row, BulkRowStatus.FAILED, error=QUOTA_ERROR)
                continue
            row = pending.popleft()
            brief, writer = self._brief(row), writer_for(current_app.config, self.test_mode)
            future = pool.submit(generate, brief, [], writer, RowSink(self.stop), self._linker())
            self.running[future] = row
            started.append(row)
        return started

    def _mark_processing(self, rows: list[BulkRow]) -> None:
        for row in rows:
            self.state.mark(row.row, BulkRowStatus.PROCESSING)

    def _settle(self, written: list[tuple[Future, BulkRow]]) -> None:
        """Save each written row's post (or record why it has none)."""
        for future, row in written:
            try:
                result = future.result()
            except JobCancelled:
                self.state.mark(row.row, BulkRowStatus.CANCELLED)
            except LLMError as exc:
                error = row_error(ErrorCode.SERVICE_UNAVAILABLE, exc.message)
                self.state.mark(row.row, BulkRowStatus.FAILED, error=error)
            except Exception as exc:  # a bug or a library's: its text stays in the log
                reference = log_unexpected(exc, f"bulk job {self.job.id}, row {row.row}")
                message = with_reference(ROW_FAILED_MESSAGE, reference)
                error = row_error(ErrorCode.INTERNAL_ERROR, message)
                self.state.mark(row.row, BulkRowStatus.FAILED, error=error)
            else:
                post = self._save_post(row, result)
                self.state.mark(row.row, BulkRowStatus.COMPLETED, post_id=post.id)
            self.state.save()

    def _brief(self, row: BulkRow) -> Brief:
        return make_brief(
            topic=row.topic,
            voice=row.voice,
            target_length=row.target_length,
            channel=row.channel,
            custom_instructions=row.custom_instructions,
        )

    def _linker(self):
        if not self.links:
            return None
        return lambda markdown: insert_links(markdown, self.links)

    def _save_post(self, row: BulkRow, result: GeneratedPost) -> Post:
        """The row's completed post with its revision 1, one post charged and the
        workspace's `post.generated` event (committed by the state's next save)."""
        post = Post(
            project_id=self.project.id,
            user_id=self.job.user_id,
            job_id=self.job.id,
            workflow=row.workflow,
            position=row.row,
            topic=row.topic,
            voice=row.voice,
            target_length=row.target_length,
            channel=row.channel,
            custom_instructions=row.custom_instructions or None,
            source_ids=[],
            metadata_={},
            test_mode=self.test_mode,
            status=PostStatus.COMPLETED,
            content=result.content,
            word_count=result.word_count,
            warnings=result.warnings,
            links=result.links,
            model=result.usage.model,
            prompt_tokens=result.usage.prompt_tokens,
            completion_tokens=result.usage.completion_tokens,
            cost_usd=round(result.usage.cost_usd, 6),
        )
        db.session.add(post)
        db.session.flush()
        revisions.record(post, None, revisions.GENERATED_SUMMARY)
        if quota.charge(self.job.id, 1):
            post.charged = True
            self.posts_left -= 1
        activity.record(
            self.project.workspace_id,
            self.author,
            Activity.POST_GENERATED,
            "post",
            post.id,
            f"{activity.actor_name(self.author)} generated the {activity.post_noun(post)} "
            f"{activity.quoted(post.topic)}",
        )
        return post


QUOTA_ERROR = row_error(
    ErrorCode.QUOTA_EXCEEDED, "The plan's posts of this month were used up before this row."
)


def link_targets(project_id: str) -> list[LinkTarget]:
    """The project's link opportunities, read once, as plain data."""
    return [
        LinkTarget(o.id, o.target_url, tuple(o.keywords or ()), o.anchor_text)
        for o in db.session.execute(
            db.select(LinkOpportunity).where(LinkOpportunity.project_id == project_id)
        ).scalars()
    ]
