"""The outline checkpoint, a person's side: a generation asked with `review_outline` stops
after planning its outline (status `slot_needed`, holding no worker); the outline is read
(`outline_of`), edited (`fill_slots`) and confirmed (`confirm`), which queues a new task
that writes the posts from it. A job left waiting PAUSE_EXPIRY is cancelled.

Every change names the `item_version` it was made from; the check and the write are one
conditional UPDATE, so of two changes made from the same version exactly one lands
(409 VERSION_CONFLICT with `current_version` for the other). A change to a job not
waiting at a checkpoint is 400 INVALID_STATE. The 7 days count from the pause or the
last edit of the outline.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from ...errors import AppError, Conflict, ErrorCode, ServiceUnavailable, ValidationFailed
from ...extensions import db
from ...models import Job, Project, User
from ...timeutil import utcnow
from ...vocabulary import JobStatus
from .. import generation_jobs, job_registry, jobs, plans, posts
from .outlines import OUTLINE_SLOT, checkpoint_outline, outline_checkpoint
from .slots import check_outline, slot_error

log = logging.getLogger(__name__)
PAUSE_EXPIRY = timedelta(days=7)
EXPIRED_MESSAGE = (
    "Cancelled: the outline was left 7 days without being confirmed. Nothing was charged; "
    "start the generation again."
)
RESUMED_STEP = "Waiting for a worker"


def outline_of(job: Job) -> dict | None:
    """The outline value the job's checkpoint holds ({"title", "sections": [{"heading",
    "points"}]}), or None when it has none."""
    return checkpoint_outline(job.checkpoint)


def fill_slots(job: Job, user: User, item_version: int, slots: list[dict]) -> Job:
    """Set the checkpoint's slots (`[{"slot_id", "value"}]`; the outline checkpoint has
    one, `outline`) as version `item_version + 1`. VALIDATION_ERROR naming the slot for
    an unknown slot or a bad outline (no section, more than 20, an empty heading)."""
    require_paused(job)
    require_version(job, item_version)
    outline = None
    for slot in slots:
        slot_id = slot.get("slot_id")
        if slot_id != OUTLINE_SLOT:
            raise slot_error(
                [str(slot_id)[:64]],
                f"This checkpoint has the slot {OUTLINE_SLOT!r}; there is no slot {slot_id!r}.",
            )
        outline = check_outline(slot.get("value"))
    if outline is None:
        raise ValidationFailed.at("slots", "Send the outline slot.", "missing")
    kept = {k: v for k, v in job.checkpoint.items() if k not in jobs.CHECKPOINT_FIELDS}
    kept["edited_by"] = user.id
    # An edit is a sign of life: the 7 days of PAUSE_EXPIRY count from the last one.
    claim(job, item_version, checkpoint=outline_checkpoint(outline, **kept), paused_at=utcnow())
    db.session.commit()
    return job


def confirm(job: Job, user: User, item_version: int) -> Job:
    """Resume the job from its checkpoint: queued again (a new task, which writes the
    posts from the outline as it now is), within the plan's concurrency. Raises
    INVALID_STATE, VERSION_CONFLICT, CONCURRENT_LIMIT_EXCEEDED (429, retry_after) and
    SERVICE_UNAVAILABLE (the job then waits at its checkpoint as before)."""
    require_paused(job)
    require_version(job, item_version)
    plan, holder_id = plans.plan_and_holder_of(db.session.get(Project, job.project_id))
    paused_at, checkpoint = job.paused_at, job.checkpoint
    with plans.holder_locked(holder_id):
        posts.check_concurrency(plan, holder_id)
        claim(
            job,
            item_version,
            status=JobStatus.QUEUED,
            paused_at=None,
            current_step=RESUMED_STEP,
            checkpoint={**checkpoint, "confirmed_by": user.id},
        )
    try:
        job_registry.enqueue(
            job, job.id, description=f"generate (resumed at version {job.item_version})"
        )
    except ServiceUnavailable:
        db.session.execute(
            db.update(Job)
            .where(Job.id == job.id)
            .values(
                status=JobStatus.SLOT_NEEDED,
                item_version=item_version,
                paused_at=paused_at,
                checkpoint=checkpoint,
            )
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        raise
    return job


def require_paused(job: Job) -> None:
    if job.status != JobStatus.SLOT_NEEDED:
        raise AppError(
            f"The job is {job.status}; only a job waiting at a checkpoint (slot_needed) takes "
            "slots or a confirmation.",
            code=ErrorCode.INVALID_STATE,
        )


def require_version(job: Job, item_version: int) -> None:
    if item_version != job.item_version:
        raise version_conflict(job.item_version)


def version_conflict(current_version: int) -> Conflict:
    return Conflict(
        f"The job changed since that version (it is now at version {current_version}); "
        "reload it and make your change again.",
        code=ErrorCode.VERSION_CONFLICT,
        current_version=current_version,
    )


def claim(job: Job, item_version: int, **values) -> None:
    """Apply `values` and the next item_version to the job, if it still waits at version
    `item_version` (not committed); INVALID_STATE or VERSION_CONFLICT otherwise."""
    claimed = db.session.execute(
        db.update(Job)
        .where(
            Job.id == job.id,
            Job.item_version == item_version,
            Job.status == JobStatus.SLOT_NEEDED,
        )
        .values(item_version=item_version + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        db.session.refresh(job)
        require_paused(job)
        raise version_conflict(job.item_version)
    db.session.flush()
    db.session.refresh(job)


def is_overdue(job: Job) -> bool:
    return (
        job.status == JobStatus.SLOT_NEEDED
        and job.paused_at is not None
        and utcnow() - job.paused_at >= PAUSE_EXPIRY
    )


def expire_if_overdue(job: Job) -> bool:
    """Cancel `job` with a reason if it has waited at its checkpoint PAUSE_EXPIRY."""
    if not is_overdue(job):
        return False
    log.info("job %s waited at its checkpoint since %s: cancelled", job.id, job.paused_at)
    generation_jobs.finish_cancelled(job, EXPIRED_MESSAGE)
    return True


def expire_paused_jobs() -> int:
    """Cancel every job that has waited at its checkpoint PAUSE_EXPIRY; how many."""
    overdue = (
        db.session.execute(
            db.select(Job).where(
                Job.status == JobStatus.SLOT_NEEDED, Job.paused_at <= utcnow() - PAUSE_EXPIRY
            )
        )
        .scalars()
        .all()
    )
    return sum(expire_if_overdue(job) for job in overdue)
