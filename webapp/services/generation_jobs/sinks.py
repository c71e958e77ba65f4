"""Where the writers of a generation job report: the job's main post to the job row and the
job page (`JobSink`); the other posts of the job, written beside it in threads, only
watch for a stop (`SideSink`)."""

from __future__ import annotations

import threading

from ...models import Job
from .. import jobs, live
from ..generation import JobCancelled, NullSink


class JobSink:
    """The DraftSink of a job's main post: steps to the job row, streamed text and
    progress to Redis, cancel from Redis, and a stop when a post written beside it
    failed (`stop`)."""

    def __init__(self, job: Job, stop: threading.Event | None = None):
        self.job = job
        self.draft = live.DraftBuffer(job.id)
        self.stop = stop or threading.Event()

    def step(self, percent: int, message: str) -> None:
        jobs.set_progress(self.job, percent, message)
        self.draft.set_progress(percent, message)

    def advance(self, percent: int, message: str) -> None:
        self.draft.set_progress(percent, message)

    def write(self, part: int, text: str) -> None:
        self.draft.write(part, text)

    def clear(self, part: int) -> None:
        self.draft.clear(part)

    def check_cancelled(self) -> None:
        if self.stop.is_set() or live.cancel_requested(self.job.id):
            raise JobCancelled()


class SideSink(NullSink):
    """The DraftSink of a post written in a thread beside the main one (a campaign's
    thread, LinkedIn post and newsletter): the job page follows the main post only, so
    it reports nothing; it stops when the job is cancelled or another post failed. Used
    inside an app context of its own (the cancel flag is read from Redis)."""

    def __init__(self, job_id: str, stop: threading.Event):
        self.job_id = job_id
        self.stop = stop

    def step(self, percent: int, message: str) -> None:
        self.check_cancelled()

    def check_cancelled(self) -> None:
        if self.stop.is_set() or live.cancel_requested(self.job_id):
            raise JobCancelled()
