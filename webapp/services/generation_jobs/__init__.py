"""Generation jobs, the worker's side: writing a job's posts (`running`: the outline
first when the job needs one, the checkpoint, several posts at once), how the job ends
and running a failed one again (`settling`). Its entry in the job registry points here."""

from __future__ import annotations

from .running import run_generation
from .settling import (
    CANCELLED_MESSAGE,
    DEAD_WORKER_MESSAGE,
    LOST_MESSAGE,
    POST_DELETED_MESSAGE,
    cancel,
    finish_cancelled,
    post_of,
    posts_of,
    record_failure_for_job,
    retry,
)

__all__ = [
    "CANCELLED_MESSAGE",
    "DEAD_WORKER_MESSAGE",
    "LOST_MESSAGE",
    "POST_DELETED_MESSAGE",
    "cancel",
    "finish_cancelled",
    "post_of",
    "posts_of",
    "record_failure_for_job",
    "retry",
    "run_generation",
]
