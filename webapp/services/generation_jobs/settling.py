"""How a generation job ends: its posts saved and charged, failed, cancelled (by the user,
or after waiting too long at its outline checkpoint); and running a failed one again."""

from __future__ import annotations

from rq.exceptions import NoSuchJobError
from rq.job import Job as RQJob

from ...errors import AppError, ErrorCode, ServiceUnavailable
from ...extensions import db
from ...models import Job, Post, User
from ...vocabulary import Activity, JobStatus, JobType, PostStatus, Workflow
from .. import activity, job_registry, jobs, live, plans, posts, quota
from ..generation import GeneratedPost, Usage
from ..redis_conn import get_redis
from ..review import revisions
from ..workflows.planning import result_of

CANCELLED_MESSAGE = "Cancelled by the user."
POST_DELETED_MESSAGE = "The post was deleted before it was written. Nothing was charged."
DEAD_WORKER_MESSAGE = (
    "The worker running this job stopped unexpectedly (it was killed or "
    "crashed), so the job was stopped. Nothing was charged; try again."
)
LOST_MESSAGE = (
    "The job was lost from the queue (its entry in Redis disappeared, for "
    "example when Redis restarted without its data), so it was stopped; nothing "
    "was charged. Try again."
)


def posts_of(job_id: str) -> list[Post]:
    """The posts job `job_id` writes that are still there, the main one first."""
    return list(
        db.session.execute(
            db.select(Post).where(Post.job_id == job_id).order_by(Post.position, Post.id)
        ).scalars()
    )


def post_of(job_id: str) -> Post | None:
    """The main post of job `job_id` (position 0: a campaign's blog post), if it is
    still there."""
    return db.session.execute(
        db.select(Post).where(Post.job_id == job_id).order_by(Post.position, Post.id).limit(1)
    ).scalar_one_or_none()


def save_results(
    job: Job, written: list[Post], results: list[GeneratedPost], extra: Usage | None = None
) -> None:
    """The completed posts, each charged once (a post of the job's reservation each; what
    was reserved for posts deleted since is given back), the workspace's `post.generated`
    events and the completed job, in one commit: a crash leaves either all of them or
    none. `extra`: what planning the outline cost, counted on the main post."""
    for post, result in zip(written, results, strict=True):
        save_post(post, result)
        if quota.charge(job.id, 1):
            post.charged = True
    if extra is not None:
        main = written[0]
        main.prompt_tokens += extra.prompt_tokens
        main.completion_tokens += extra.completion_tokens
        main.cost_usd = round(main.cost_usd + extra.cost_usd, 6)
    quota.release(job.id)
    workflow = (job.params or {}).get("workflow") or Workflow.BLOG_POST
    jobs.complete_job(job, result_of(workflow, [post.id for post in written]))


def save_post(post: Post, result: GeneratedPost) -> None:
    post.content = result.content
    post.word_count = result.word_count
    post.warnings = result.warnings
    post.links = result.links
    post.model = result.usage.model
    post.prompt_tokens = result.usage.prompt_tokens
    post.completion_tokens = result.usage.completion_tokens
    post.cost_usd = round(result.usage.cost_usd, 6)
    post.status = PostStatus.COMPLETED
    revisions.record(post, None, revisions.GENERATED_SUMMARY)
    author = db.session.get(User, post.user_id)
    activity.record(
        post.project.workspace_id,
        author,
        Activity.POST_GENERATED,
        "post",
        post.id,
        f"{activity.actor_name(author)} generated the {activity.post_noun(post)} "
        f"{activity.quoted(post.topic)}",
    )


def fail_posts(job_id: str, message: str) -> None:
    """Every post of the job still being written: failed with `message` (not committed)."""
    for post in posts_of(job_id):
        if post.status == PostStatus.GENERATING:
            post.status = PostStatus.FAILED
            post.error_message = message


def record_failure_for_job(job_id: str, message: str) -> None:
    """Mark the job and every post it was writing failed with `message` and release the
    reserved quota (nothing is charged), in one commit."""
    db.session.rollback()
    job = db.session.get(Job, job_id)
    fail_posts(job_id, message)
    quota.release(job_id)
    if job is not None and not job.is_finished:
        jobs.fail_job(job, message)
    else:
        db.session.commit()


def finish_cancelled(job: Job, message: str = CANCELLED_MESSAGE) -> None:
    """The job's posts failed, the reserved quota released and the job cancelled, in one
    commit."""
    fail_posts(job.id, message)
    quota.release(job.id)
    jobs.cancel_job_row(job, message)


def cancel(job: Job) -> Job:
    """Cancel an unfinished generation (through `job_registry.cancel`): a queued one, or
    one paused at its outline, at once; a running one at its next step."""
    if job.status == JobStatus.SLOT_NEEDED:
        finish_cancelled(job)
        return job
    live.request_cancel(job.id)
    if job.status == JobStatus.QUEUED:
        try:
            RQJob.fetch(jobs.queue_entry_id(job), connection=get_redis()).cancel()
        except NoSuchJobError:
            pass
        finish_cancelled(job)
    return job


def retry(failed: Job) -> Job:
    """Write the failed job's posts again: they go back to `generating` under a new queued
    job with the same parameters (and the outline agreed at its checkpoint, if any),
    within the plan's limits and with its posts reserved, as a new request would. Raises
    AppError when the posts are gone or were retried already, or the plan's limits
    refuse (CONCURRENT_LIMIT_EXCEEDED, QUOTA_EXCEEDED, ALREADY_GENERATING)."""
    written = posts_of(failed.id)
    if not written:
        raise AppError(
            f"The post written by job {failed.id} is gone (deleted, or retried under a newer job).",
            code=ErrorCode.INVALID_STATE,
        )
    main = written[0]
    user = db.session.get(User, failed.user_id)
    plan, holder_id = plans.plan_and_holder_of(main.project)
    with plans.holder_locked(holder_id):
        posts.check_plan(plan, holder_id, main.test_mode, posts_needed=len(written))
        posts.check_not_duplicate(main.project, main.topic)
        job = jobs.create_job(
            user, JobType.CONTENT_GENERATION, main.project, total_items=len(written)
        )
        job.params, job.checkpoint = failed.params, failed.checkpoint
        db.session.flush()
        for post in written:
            post.job_id, post.status, post.error_message = job.id, PostStatus.GENERATING, None
        if not main.test_mode:
            quota.reserve(job, holder_id, len(written))
    try:
        job_registry.enqueue(job, job.id, description=f"generate post {main.id} (retry)")
    except ServiceUnavailable:
        quota.release(job.id)
        for post in written:
            post.job_id, post.status, post.error_message = (
                failed.id,
                PostStatus.FAILED,
                failed.error_message,
            )
        db.session.delete(job)
        db.session.commit()
        raise
    return job
