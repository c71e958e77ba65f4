"""The words people read for stored statuses: one place for every page.

Pages show `status|status_word("source")`; the API and the CSS classes (`status-<raw>`)
keep the raw values of webapp.vocabulary.
"""

from __future__ import annotations

from .vocabulary import (
    BulkRowStatus,
    JobStatus,
    PostStatus,
    SourceStatus,
    SuggestionStatus,
)

WAITING = "Waiting"
WRITING = "Writing…"
DONE = "Done"
NOT_FINISHED = "Couldn’t finish"
CANCELLED = "Cancelled"

STATUS_WORDS: dict[str, dict[str, str]] = {
    "source": {
        SourceStatus.UPLOADED: "Uploaded",
        SourceStatus.PARSING: "Reading…",
        SourceStatus.PARSED: "Ready",
        SourceStatus.FAILED: "Couldn’t read",
    },
    "job": {
        JobStatus.QUEUED: WAITING,
        JobStatus.PROCESSING: WRITING,
        JobStatus.SLOT_NEEDED: "Waiting for you",
        JobStatus.COMPLETED: DONE,
        JobStatus.FAILED: NOT_FINISHED,
        JobStatus.CANCELLED: CANCELLED,
    },
    "post": {
        PostStatus.GENERATING: WRITING,
        PostStatus.COMPLETED: DONE,
        PostStatus.FAILED: NOT_FINISHED,
    },
    "row": {
        BulkRowStatus.QUEUED: WAITING,
        BulkRowStatus.PROCESSING: WRITING,
        BulkRowStatus.COMPLETED: DONE,
        BulkRowStatus.FAILED: NOT_FINISHED,
        BulkRowStatus.CANCELLED: CANCELLED,
    },
    "suggestion": {
        SuggestionStatus.PENDING: "Being written",
        SuggestionStatus.READY: "Ready",
        SuggestionStatus.ACCEPTED: "Accepted",
        SuggestionStatus.REJECTED: "Rejected",
        SuggestionStatus.FAILED: "Couldn’t write",
    },
}


def status_word(status: str | None, kind: str) -> str:
    """The word a person reads for the `kind` ("source", "job", "post", "row",
    "suggestion") status `status`; an unknown status reads as itself, capitalised."""
    raw = str(status or "")
    return STATUS_WORDS[kind].get(raw) or raw.replace("_", " ").capitalize()
