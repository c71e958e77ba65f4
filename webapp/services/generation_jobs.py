"""The worker's side of a generation job, stopping one (cancel, or a dead worker) and
running a failed one again. Its entry in the job registry points here."""

from __future__ import annotations

import logging

from flask import current_app
from rq.exceptions import NoSuchJobError
from rq.job import Job as RQJob

from ..errors import AppError, ErrorCode, ServiceUnavailable
from ..extensions import db
from ..models import Job, LinkOpportunity, Post, Source, User
from ..vocabulary import Activity, JobStatus, JobType, PostStatus, SourceStatus
from . import activity, job_registry, jobs, live, plans, posts, quota, source_reading, voices
from .generation import Brief, JobCancelled, SourceText, generate, writer_for
from .links import insert_links
from .redis_conn import get_redis
from .review import revisions

log = logging.getLogger(__name__)
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


class JobSink:
    """The DraftSink of a job: steps to the job row, streamed text and progress to Redis,
    cancel from Redis."""

    def __init__(self, job: Job):
        self.job = job
        self.draft = live.DraftBuffer(job.id)

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
        if live.cancel_requested(self.job.id):
            raise JobCancelled()


def run_generation(job_id: str) -> None:
    """Write the post of `job_id`: draft, shape, insert links, save, charge the quota.
    Failures are recorded on the post and job, then re-raised for RQ."""
    job = db.session.get(Job, job_id)
    post = post_of(job_id)
    if job is None or job.is_finished:
        log.info("job %s: nothing to do (deleted or finished)", job_id)
        return
    if post is None:
        record_failure_for_job(job_id, POST_DELETED_MESSAGE)
        return
    jobs.start_job(job, "Reading the sources")
    sink = JobSink(job)
    try:
        result = generate(
            brief_of(post),
            sources_of(post),
            writer_for(current_app.config, post.test_mode),
            sink,
            links_inserter(post.project_id),
        )
    except JobCancelled:
        finish_cancelled(job, post)
        return
    finally:
        sink.draft.flush_all()
    save_result(job, post, result)


def brief_of(post: Post) -> Brief:
    """What the writer works from; a brand voice comes with its instructions (the
    professional voice when it was deleted since the request)."""
    voice, guide = voices.brief_voice(post.voice)
    return Brief(
        topic=post.topic,
        voice=voice,
        target_length=post.target_length,
        channel=post.channel,
        custom_instructions=post.custom_instructions or "",
        voice_guide=guide,
    )


def sources_of(post: Post) -> list[SourceText]:
    """The post's sources that are still there and parsed, in the order requested."""
    if not post.source_ids:
        return []
    found = {
        s.id: s
        for s in db.session.execute(
            db.select(Source).where(
                Source.id.in_(post.source_ids), Source.status == SourceStatus.PARSED
            )
        ).scalars()
    }
    for source in found.values():
        source_reading.read_again_if_outdated(source)
    return [
        SourceText(
            s.id,
            s.filename,
            s.parsed_text or "",
            tuple((s.parse_details or {}).get("page_starts") or ()),
        )
        for i in post.source_ids
        if (s := found.get(i))
    ]


def links_inserter(project_id: str):
    opportunities = (
        db.session.execute(
            db.select(LinkOpportunity).where(LinkOpportunity.project_id == project_id)
        )
        .scalars()
        .all()
    )
    if not opportunities:
        return None
    return lambda markdown: insert_links(markdown, opportunities)


def save_result(job: Job, post: Post, result) -> None:
    """The completed post, the quota charged (once: the job's reservation moves to usage),
    the workspace's `post.generated` event and the completed job, in one commit: a crash
    leaves either all of them or none."""
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
    if quota.charge(job.id):
        post.charged = True
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
    jobs.complete_job(job, {"post_id": post.id})


def post_of(job_id: str) -> Post | None:
    """The post written by job `job_id`, if it is still there."""
    return db.session.execute(db.select(Post).where(Post.job_id == job_id)).scalar_one_or_none()


def record_failure_for_job(job_id: str, message: str) -> None:
    """Mark the job and its post failed with `message` and release the reserved quota
    (nothing is charged), in one commit."""
    db.session.rollback()
    job = db.session.get(Job, job_id)
    post = post_of(job_id)
    if post is not None and post.status == PostStatus.GENERATING:
        post.status = PostStatus.FAILED
        post.error_message = message
    quota.release(job_id)
    if job is not None and not job.is_finished:
        jobs.fail_job(job, message)
    else:
        db.session.commit()


def finish_cancelled(job: Job, post: Post | None) -> None:
    """The post failed, the reserved quota released and the job cancelled, in one commit."""
    if post is not None and post.status == PostStatus.GENERATING:
        post.status = PostStatus.FAILED
        post.error_message = CANCELLED_MESSAGE
    quota.release(job.id)
    jobs.cancel_job_row(job, CANCELLED_MESSAGE)


def cancel(job: Job) -> Job:
    """Cancel an unfinished generation (through `job_registry.cancel`): a queued one at
    once, a running one at its next step."""
    live.request_cancel(job.id)
    if job.status == JobStatus.QUEUED:
        try:
            RQJob.fetch(job.id, connection=get_redis()).cancel()
        except NoSuchJobError:
            pass
        finish_cancelled(job, post_of(job.id))
    return job


def retry(failed: Job) -> Job:
    """Write the failed job's post again: the post goes back to `generating` under a new
    queued job, within the plan's limits and with a post reserved, as a new request
    would. Raises AppError when the post is gone or was retried already, or the plan's
    limits refuse (CONCURRENT_LIMIT_EXCEEDED, QUOTA_EXCEEDED, ALREADY_GENERATING)."""
    post = post_of(failed.id)
    if post is None:
        raise AppError(
            f"The post written by job {failed.id} is gone (deleted, or retried under a newer job).",
            code=ErrorCode.INVALID_STATE,
        )
    user = db.session.get(User, failed.user_id)
    plan, holder_id = plans.plan_and_holder_of(post.project)
    with plans.holder_locked(holder_id):
        posts.check_plan(plan, holder_id, post.test_mode)
        posts.check_not_duplicate(post.project, post.topic)
        job = jobs.create_job(user, JobType.CONTENT_GENERATION, post.project)
        db.session.flush()
        post.job_id, post.status, post.error_message = job.id, PostStatus.GENERATING, None
        if not post.test_mode:
            quota.reserve(job, holder_id, 1)
    try:
        job_registry.enqueue(job, job.id, description=f"generate post {post.id} (retry)")
    except ServiceUnavailable:
        quota.release(job.id)
        post.job_id, post.status, post.error_message = (
            failed.id,
            PostStatus.FAILED,
            failed.error_message,
        )
        db.session.delete(job)
        db.session.commit()
        raise
    return job
