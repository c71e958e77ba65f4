"""Requesting a bulk job (`POST /posts/bulk-generate`, the CSV source page's "Generate
all"): the checks, then one queued job for every row of the CSV."""

from __future__ import annotations

from ...errors import AppError, ErrorCode, ServiceUnavailable, ValidationFailed
from ...extensions import db
from ...models import Job, User
from ...vocabulary import JobType
from .. import accounts, job_registry, jobs, plans, posts, quota, sources
from ..access import Permission
from ..parsing.csv_topics import TopicTable
from ..projects import get_project_or_404
from .rows import plan_rows
from .state import result_of


def request_bulk_generation(
    user: User, *, project_id: str, csv_source_id: str, test_mode: bool = False
) -> Job:
    """Check the request against the plan, the project and the CSV, then queue one job that
    writes a post per usable row, with posts reserved for as many rows as the month has
    left (rows beyond fail with QUOTA_EXCEEDED when the job reaches them).

    Raises EMAIL_NOT_VERIFIED, PROJECT_NOT_FOUND and INSUFFICIENT_ROLE (the project needs
    EDIT), SOURCE_NOT_FOUND (not a source of the project), INVALID_SOURCE (not a parsed
    topics CSV, or no usable row), BULK_LIMIT_EXCEEDED (more usable rows than the plan's
    bulk_limit), CONCURRENT_LIMIT_EXCEEDED (the job counts once), QUOTA_EXCEEDED (no post
    left this month); SERVICE_UNAVAILABLE when the queue or storage is down. Nothing is
    kept when it raises. Test mode: the offline writer, no quota."""
    accounts.require_verified_email(user)
    project = get_project_or_404(project_id, user, Permission.EDIT)
    source = sources.get_source_or_404(csv_source_id, user, project=project)
    table = sources.topic_table(source)
    plan, holder_id = plans.plan_and_holder_of(project)
    check_rows(plan, table)
    rows = plan_rows(project, plan, table)
    writable = sum(row.writable for row in rows)
    with plans.holder_locked(holder_id):
        posts.check_plan(plan, holder_id, test_mode)
        job = jobs.create_job(user, JobType.BULK_GENERATION, project, total_items=len(rows))
        job.params = {"csv_source_id": source.id, "test_mode": test_mode}
        job.result = result_of([row.entry() for row in rows])
        db.session.flush()
        if not test_mode and writable:
            quota.reserve(job, holder_id, min(writable, posts_left(plan, holder_id)))
    try:
        job_registry.enqueue(job, job.id, description=f"bulk generation from source {source.id}")
    except ServiceUnavailable:
        quota.release(job.id)
        db.session.delete(job)
        db.session.commit()
        raise
    return job


def check_rows(plan: plans.Plan, table: TopicTable) -> None:
    """At least one usable row, and no more than the plan's bulk_limit."""
    usable = len(table.rows)
    if not usable:
        raise ValidationFailed(
            f"The CSV has no usable row ({len(table.problems)} rejected); fix them and "
            "upload it again.",
            code=ErrorCode.INVALID_SOURCE,
        )
    if usable > plan.bulk_limit:
        raise AppError(
            f"The CSV has {usable:,} usable rows; the {plan.name} plan writes at most "
            f"{plan.bulk_limit:,} in one bulk job. Split the file, or upgrade.",
            code=ErrorCode.BULK_LIMIT_EXCEEDED,
            rows=usable,
            bulk_limit=plan.bulk_limit,
        )


def posts_left(plan: plans.Plan, holder_id: str) -> int:
    """Posts of this month not used or reserved yet (under the holder's lock)."""
    left = quota.posts_left(plan, holder_id)
    return 1 << 30 if left is None else left
