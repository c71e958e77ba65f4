"""The plan's caps on sources, counted for the plan holder: sources per project, bytes
stored across all the holder's sources, and parse jobs (uploads and URL imports) queued or
running at once. Checked under `plans.holder_locked`, so parallel uploads cannot pass
them together."""

from __future__ import annotations

from ..errors import AppError, ErrorCode, Forbidden
from ..extensions import db
from ..models import Job, Project, Source
from ..vocabulary import JobStatus
from . import job_registry, plans

PARSE_QUEUE_RETRY_SECONDS = 15


def check_source_caps(
    plan: plans.Plan, holder_id: str, project: Project, adding_bytes: int
) -> None:
    """Raise SOURCE_LIMIT_REACHED (403), STORAGE_LIMIT_REACHED (413) or PARSE_QUEUE_FULL
    (429) when one more source of `adding_bytes` to parse would pass the plan's caps."""
    check_room_for_source(plan, holder_id, project, adding_bytes)
    check_parse_queue(plan, holder_id)


def check_room_for_source(
    plan: plans.Plan, holder_id: str, project: Project, adding_bytes: int
) -> None:
    """SOURCE_LIMIT_REACHED (403) or STORAGE_LIMIT_REACHED (413) when one more source of
    `adding_bytes` would pass the plan's caps (every way a source is added: an upload, a
    URL import, the text of a release note's `changes` slot)."""
    in_project = db.session.execute(
        db.select(db.func.count()).select_from(Source).where(Source.project_id == project.id)
    ).scalar_one()
    if in_project >= plan.sources_per_project:
        raise Forbidden(
            f"This project has {in_project:,} sources, the most the {plan.name} "
            "plan allows; delete some to add more.",
            code=ErrorCode.SOURCE_LIMIT_REACHED,
        )
    stored = stored_bytes(holder_id)
    # A URL import adds 0 bytes now (its size is known once fetched): it needs room too.
    if stored + max(adding_bytes, 1) > plan.storage_bytes:
        raise AppError(
            f"Your sources use {size_text(stored)} of the "
            f"{size_text(plan.storage_bytes)} the {plan.name} plan allows, and "
            "this would not fit; delete some sources to make room.",
            code=ErrorCode.STORAGE_LIMIT_REACHED,
        )


def check_parse_queue(plan: plans.Plan, holder_id: str) -> None:
    """PARSE_QUEUE_FULL (429) when the holder's parse queue is full."""
    if parse_jobs_running(holder_id) >= plan.parse_queue:
        raise AppError(
            f"{plan.parse_queue} documents are already waiting to be parsed, the "
            f"most the {plan.name} plan allows at once; try again when one is done.",
            code=ErrorCode.PARSE_QUEUE_FULL,
            retry_after=PARSE_QUEUE_RETRY_SECONDS,
        )


def stored_bytes(holder_id: str) -> int:
    return db.session.execute(
        db.select(db.func.coalesce(db.func.sum(Source.file_size), 0)).where(
            plans.held_by(Source, holder_id)
        )
    ).scalar_one()


def parse_jobs_running(holder_id: str) -> int:
    """The holder's queued or running jobs that count toward the parse queue (the job
    registry says which types do)."""
    parse_jobs = job_registry.job_types_counting_toward(job_registry.Limit.PARSE_QUEUE)
    return db.session.execute(
        db.select(db.func.count())
        .select_from(Job)
        .where(
            plans.held_by(Job, holder_id),
            Job.job_type.in_(parse_jobs),
            Job.status.in_((JobStatus.QUEUED, JobStatus.PROCESSING)),
        )
    ).scalar_one()


def size_text(size: int) -> str:
    """1.5 GB, 100 MB, 12 KB."""
    for unit, scale in (("GB", plans.GB), ("MB", plans.MB), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{size:,} bytes"
