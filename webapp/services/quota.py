"""Posts reserved by jobs that are queued or running: reserved at submit (under the plan
holder's lock), then charged once when the job completes or released when it fails, is
cancelled, is lost or could not be queued."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..extensions import db
from ..models import Job, Project, User
from ..models.job import FINISHED_STATUSES
from ..models.usage import QuotaReservation
from ..vocabulary import JobStatus
from . import job_registry, plans

RUNNING_STATUSES = (JobStatus.QUEUED, JobStatus.PROCESSING)


def running_post_jobs(holder_id: str) -> int:
    """The holder's jobs that are queued or processing and count toward the plan's
    concurrency (generations, model suggestions: the job registry says which types
    count): each counts once, however many posts it writes; a paused job (slot_needed)
    does not."""
    counted = job_registry.job_types_counting_toward(job_registry.Limit.CONCURRENCY)
    return db.session.execute(
        db.select(db.func.count())
        .select_from(Job)
        .where(
            plans.held_by(Job, holder_id),
            Job.job_type.in_(counted),
            Job.status.in_(RUNNING_STATUSES),
        )
    ).scalar_one()


def posts_reserved(holder_id: str) -> int:
    """Posts reserved by the holder's unfinished jobs."""
    return db.session.execute(
        db.select(db.func.coalesce(db.func.sum(QuotaReservation.posts), 0))
        .join(Job, Job.id == QuotaReservation.job_id)
        .where(QuotaReservation.holder_id == holder_id, Job.status.not_in(FINISHED_STATUSES))
    ).scalar_one()


def posts_used(holder_id: str) -> int:
    """Posts of this month charged to the holder or reserved by their running jobs."""
    return plans.posts_used_by(holder_id) + posts_reserved(holder_id)


def posts_left(plan: plans.Plan, holder_id: str) -> int | None:
    """Posts of this month neither charged nor reserved yet (None: the plan has no limit)."""
    if plan.posts_limit is None:
        return None
    return max(plan.posts_limit - posts_used(holder_id), 0)


@dataclass(frozen=True)
class Standing:
    """Where a plan holder stands this month, as the new-post and usage pages tell it."""

    posts_left: int | None  # None: unlimited
    posts_limit: int | None
    resets_on: date
    holder: User
    plan_name: str
    posts_used: int


def standing_of(project: Project) -> Standing:
    """The month's posts left to the project's plan holder (its workspace's owner) and
    when they come back."""
    return standing_of_holder(plans.plan_holder_of(project))


def standing_of_holder(holder: User) -> Standing:
    """The month's posts used and left on `holder`'s plan, and when they come back."""
    plan = plans.plan_for(holder)
    used = posts_used(holder.id)
    left = None if plan.posts_limit is None else max(plan.posts_limit - used, 0)
    return Standing(left, plan.posts_limit, plans.next_period_start(), holder, plan.name, used)


def reserve(job: Job, holder_id: str, posts: int) -> None:
    """Reserve `posts` for `job` (saved with the job, under the holder's lock)."""
    db.session.add(QuotaReservation(job_id=job.id, holder_id=holder_id, posts=posts))


def charge(job_id: str, posts: int | None = None) -> int:
    """Move `posts` of the job's reservation (all of it when None) to the holder's usage;
    returns how many were charged: 0 when it holds none (a test-mode job, or one already
    charged or released). The rest stays reserved. Committed by the caller, with the
    job's completion or the post's save."""
    reservation = db.session.execute(
        db.select(QuotaReservation.holder_id, QuotaReservation.posts).where(
            QuotaReservation.job_id == job_id
        )
    ).one_or_none()
    if reservation is None:
        return 0
    charged = reservation.posts if posts is None else min(posts, reservation.posts)
    if charged <= 0 or not _take(job_id, reservation.posts, charged):
        return 0
    plans.add_posts_used(reservation.holder_id, charged)
    return charged


def remaining_reserved(job_id: str) -> int:
    """Posts the job still holds reserved (0 when none)."""
    return (
        db.session.execute(
            db.select(QuotaReservation.posts).where(QuotaReservation.job_id == job_id)
        ).scalar_one_or_none()
        or 0
    )


def _take(job_id: str, held: int, posts: int) -> bool:
    """Take `posts` out of a reservation that held `held`; True only for the one caller
    that did (a compare-and-set, so two workers never charge the same posts)."""
    if posts >= held:
        return _delete(job_id)
    result = db.session.execute(
        db.update(QuotaReservation)
        .where(QuotaReservation.job_id == job_id, QuotaReservation.posts == held)
        .values(posts=held - posts),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == 1


def release(job_id: str) -> None:
    """Give the job's reserved posts back (committed by the caller)."""
    _delete(job_id)


def _delete(job_id: str) -> bool:
    """Delete the reservation; True only for the one caller that removed it."""
    result = db.session.execute(
        db.delete(QuotaReservation).where(QuotaReservation.job_id == job_id),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == 1
