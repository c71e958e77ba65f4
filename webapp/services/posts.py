"""Posts: requesting a generation, the worker's side of it, and reading/deleting posts."""

from __future__ import annotations

from flask import current_app

from ..errors import (
    AppError,
    ErrorCode,
    Forbidden,
    NotFound,
    ServiceUnavailable,
    ValidationFailed,
)
from ..extensions import db
from ..models import Job, Post, Project, Source, User
from ..models.base import is_valid_id
from ..vocabulary import Activity, Channel, JobType, Length, PostStatus, SourceStatus
from . import accounts, activity, job_registry, jobs, plans, quota, voices
from .access import Permission, get_owned_or_404
from .generation import writer_for
from .paging import Page, newest_first, paginate
from .projects import get_project_or_404

TOPIC_MAX = 200
INSTRUCTIONS_MAX = 2000


def get_post_or_404(post_id: str, user: User, need: Permission = Permission.READ) -> Post:
    """A post of a workspace `user` belongs to, if their role allows `need`; anybody
    else's, or a missing one, is POST_NOT_FOUND (404)."""
    return get_owned_or_404(
        Post, post_id, user, need=need, code=ErrorCode.POST_NOT_FOUND, message="Post not found."
    )


def list_posts(
    project: Project,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
    review_status: str | None = None,
) -> Page[Post]:
    """The project's posts, newest first, optionally only those with `status` and
    `review_status`."""
    query = db.select(Post).where(Post.project_id == project.id)
    if status:
        query = query.where(Post.status == status)
    if review_status:
        query = query.where(Post.review_status == review_status)
    return paginate(query, order_by=newest_first(Post), limit=limit, offset=offset)


def delete_post(post: Post, actor: User | None = None) -> None:
    """Delete the post (the quota it used is not refunded); the workspace's feed tells
    who (`actor`) did it."""
    activity.record(
        post.project.workspace_id,
        actor,
        Activity.POST_DELETED,
        "post",
        post.id,
        f"{activity.actor_name(actor)} deleted the {activity.post_noun(post)} "
        f"{activity.quoted(post.topic)}",
    )
    db.session.delete(post)
    db.session.commit()


# --------------------------------------------------------------------- requesting


def request_generation(
    user: User,
    *,
    project_id: str,
    topic: str,
    voice: str,
    target_length: Length = Length.MEDIUM,
    channel: Channel = Channel.BLOG,
    custom_instructions: str | None = None,
    source_ids: list[str] | None = None,
    metadata: dict | None = None,
    test_mode: bool = False,
) -> Job:
    """Check the request against the plan and the project, then queue the generation.

    Raises EMAIL_NOT_VERIFIED while the user must still verify their address, and the
    reference's codes: TOPIC_TOO_LONG, INSTRUCTIONS_TOO_LONG, PROJECT_NOT_FOUND,
    SOURCE_NOT_FOUND, INVALID_SOURCE, VALIDATION_ERROR (an unknown brand voice),
    VOICE_NOT_AVAILABLE, QUOTA_EXCEEDED,
    CONCURRENT_LIMIT_EXCEEDED, ALREADY_GENERATING; SERVICE_UNAVAILABLE when the queue is
    down (and then nothing is kept)."""
    accounts.require_verified_email(user)
    topic = " ".join((topic or "").split())
    check_lengths(topic, custom_instructions)
    project = get_project_or_404(project_id, user, Permission.EDIT)
    sources = usable_sources(project, source_ids or [])
    plan, holder_id = plans.plan_and_holder_of(project)
    check_voice(project, plan, voice)
    with plans.holder_locked(holder_id):
        check_plan(plan, holder_id, test_mode)
        check_not_duplicate(project, topic)
        job = jobs.create_job(user, JobType.CONTENT_GENERATION, project)
        db.session.flush()
        post = Post(
            project_id=project.id,
            user_id=user.id,
            job_id=job.id,
            topic=topic,
            voice=voice,
            target_length=target_length,
            channel=channel,
            custom_instructions=(custom_instructions or "").strip() or None,
            source_ids=[s.id for s in sources],
            metadata_=metadata or {},
            status=PostStatus.GENERATING,
            test_mode=test_mode,
            model=writer_for(current_app.config, test_mode).name,
        )
        db.session.add(post)
        if not test_mode:
            quota.reserve(job, holder_id, 1)
    try:
        job_registry.enqueue(job, job.id, description=f"generate post {post.id}")
    except ServiceUnavailable:
        quota.release(job.id)
        db.session.delete(post)
        db.session.delete(job)
        db.session.commit()
        raise
    return job


def check_lengths(topic: str, instructions: str | None) -> None:
    if not topic:
        raise ValidationFailed(
            "Topic is required.",
            errors=[{"loc": ["body", "topic"], "msg": "Topic is required.", "type": "missing"}],
        )
    if len(topic) > TOPIC_MAX:
        raise ValidationFailed(
            f"Topic exceeds {TOPIC_MAX} characters.", code=ErrorCode.TOPIC_TOO_LONG
        )
    if instructions and len(instructions) > INSTRUCTIONS_MAX:
        raise ValidationFailed(
            f"Custom instructions exceed {INSTRUCTIONS_MAX} characters.",
            code=ErrorCode.INSTRUCTIONS_TOO_LONG,
        )


def usable_sources(project: Project, source_ids: list[str]) -> list[Source]:
    """The requested sources, all of this project and parsed, in the order given."""
    wanted = list(dict.fromkeys(source_ids))
    found = (
        {
            s.id: s
            for s in db.session.execute(
                db.select(Source).where(
                    Source.id.in_([i for i in wanted if is_valid_id(i)]),
                    Source.project_id == project.id,
                )
            ).scalars()
        }
        if wanted
        else {}
    )
    for source_id in wanted:
        source = found.get(source_id)
        if source is None:
            raise NotFound(
                f"Source {source_id} not found in this project.", code=ErrorCode.SOURCE_NOT_FOUND
            )
        if source.status != SourceStatus.PARSED:
            raise ValidationFailed(
                f"Source “{source.filename}” is not ready ({source.status}); only parsed "
                "sources can be used.",
                code=ErrorCode.INVALID_SOURCE,
            )
    return [found[i] for i in wanted]


def check_voice(project: Project, plan: plans.Plan, voice: str) -> None:
    """A built-in voice on the plan, or a brand voice (``custom:<id>``) of the project's
    workspace on a plan with brand voices (services.voices)."""
    voices.check_generation_voice(project, voice, plan)


def check_plan(plan: plans.Plan, holder_id: str, test_mode: bool) -> None:
    """Concurrency, then quota (charged plus reserved posts), counted for the plan holder.
    Runs under `plans.holder_locked`, so parallel requests cannot both pass."""
    if quota.running_post_jobs(holder_id) >= plan.concurrent_limit:
        raise AppError(
            f"Your plan runs {plan.concurrent_limit} generation(s) at a time; "
            "wait for one to finish.",
            code=ErrorCode.CONCURRENT_LIMIT_EXCEEDED,
            retry_after=10,
        )
    if (
        not test_mode
        and plan.posts_limit is not None
        and plans.posts_used_by(holder_id) + quota.posts_reserved(holder_id) >= plan.posts_limit
    ):
        raise Forbidden(
            f"You have used all {plan.posts_limit} posts of this month.",
            code=ErrorCode.QUOTA_EXCEEDED,
        )


def check_not_duplicate(project: Project, topic: str) -> None:
    duplicate = db.session.execute(
        db.select(Post.id).where(
            Post.project_id == project.id,
            Post.status == PostStatus.GENERATING,
            db.func.lower(Post.topic) == topic.lower(),
        )
    ).first()
    if duplicate:
        raise AppError(
            "A post on this topic is already being generated in this project.",
            code=ErrorCode.ALREADY_GENERATING,
        )
