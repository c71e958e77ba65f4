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
from .source_limits import check_room_for_source
from .sources import delete_stored_files
from .workflows import planning
from .workflows.catalog import get_spec
from .workflows.slots import check_workflow_slots

TOPIC_MAX = 200
INSTRUCTIONS_MAX = 2000
CONCURRENCY_RETRY_SECONDS = 10


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
    topic: str | None,
    voice: str,
    target_length: Length = Length.MEDIUM,
    channel: Channel | None = None,
    custom_instructions: str | None = None,
    source_ids: list[str] | None = None,
    metadata: dict | None = None,
    test_mode: bool = False,
    workflow: str | None = None,
    slots: dict | None = None,
    review_outline: bool = False,
) -> Job:
    """Check the request against its workflow, the plan and the project, then queue the
    job that writes its posts (one for most workflows, four for a campaign pack, one per
    channel when repurposing), each reserving a post of the monthly quota.

    Raises EMAIL_NOT_VERIFIED while the user must still verify their address,
    VALIDATION_ERROR for an unknown workflow, a `channel` with a workflow other than
    blog_post, bad slots or an outline review the workflow cannot do, and the reference's
    codes: TOPIC_TOO_LONG, INSTRUCTIONS_TOO_LONG, PROJECT_NOT_FOUND, SOURCE_NOT_FOUND,
    INVALID_SOURCE, VALIDATION_ERROR (an unknown brand voice), VOICE_NOT_AVAILABLE,
    QUOTA_EXCEEDED, CONCURRENT_LIMIT_EXCEEDED, ALREADY_GENERATING; SERVICE_UNAVAILABLE
    when the queue is down (and then nothing is kept)."""
    accounts.require_verified_email(user)
    topic = " ".join((topic or "").split())
    check_lengths(topic, custom_instructions, topic_required=False)
    # The project first: what the body asks of it is checked for a project the user may
    # write in (anybody else learns only that it is not found).
    project = get_project_or_404(project_id, user, Permission.EDIT)
    request = checked_workflow(workflow, channel, slots, review_outline)
    check_lengths(topic, None, topic_required=not request.spec.topic_optional)
    original = planning.repurposed_post(request, project, user)
    topic = topic or (original.topic if original else topic)
    sources = usable_sources(project, source_ids or [])
    source_ids = [s.id for s in sources]
    if original is not None:
        source_ids = list(dict.fromkeys(source_ids + planning.kept_sources_of(original)))
    planning.check_release_notes_input(request, source_ids)
    plan, holder_id = plans.plan_and_holder_of(project)
    check_voice(project, plan, voice)
    channels = planning.post_channels(request)
    changes = planning.changes_source(request, user, project)
    try:
        with plans.holder_locked(holder_id):
            check_plan(plan, holder_id, test_mode, posts_needed=len(channels))
            check_not_duplicate(project, topic)
            if changes is not None:  # the `changes` slot becomes a source of the project
                check_room_for_source(plan, holder_id, project, changes.file_size)
            job = jobs.create_job(
                user, JobType.CONTENT_GENERATION, project, total_items=len(channels)
            )
            job.params = request.params
            if changes is not None:
                db.session.add(changes)
                db.session.flush()
                source_ids = [changes.id, *source_ids]
            db.session.flush()
            for position, post_channel in enumerate(channels):
                db.session.add(
                    Post(
                        project_id=project.id,
                        user_id=user.id,
                        job_id=job.id,
                        workflow=request.spec.spec_id,
                        position=position,
                        topic=topic,
                        voice=voice,
                        target_length=target_length,
                        channel=post_channel,
                        custom_instructions=planning.instructions_for(request, custom_instructions),
                        source_ids=source_ids,
                        metadata_=metadata or {},
                        status=PostStatus.GENERATING,
                        test_mode=test_mode,
                        model=writer_for(current_app.config, test_mode).name,
                    )
                )
            if not test_mode:
                quota.reserve(job, holder_id, len(channels))
    except Exception:
        if changes is not None:
            delete_stored_files([changes.storage_key])
        raise
    enqueue_or_discard(job, changes, f"generate {request.spec.spec_id} ({len(channels)} posts)")
    return job


def checked_workflow(
    workflow: str | None, channel: str | None, slots: dict | None, review_outline: bool
) -> planning.WorkflowRequest:
    """The request's workflow, its channel, slots and outline review checked
    (VALIDATION_ERROR at the field or slot otherwise)."""
    spec = get_spec(workflow)
    channel = planning.channel_of(spec, channel)
    checked = check_workflow_slots(spec, slots)
    planning.check_review_outline(spec, channel, review_outline)
    return planning.WorkflowRequest(spec, checked, bool(review_outline), channel)


def enqueue_or_discard(job: Job, changes: Source | None, description: str) -> None:
    """Queue the job; when the queue is down, nothing of the request is kept."""
    try:
        job_registry.enqueue(job, job.id, description=description)
    except ServiceUnavailable:
        quota.release(job.id)
        db.session.execute(
            db.delete(Post).where(Post.job_id == job.id),
            execution_options={"synchronize_session": False},
        )
        db.session.delete(job)
        if changes is not None:
            db.session.delete(changes)
        db.session.commit()
        if changes is not None:
            delete_stored_files([changes.storage_key])
        raise


def check_lengths(topic: str, instructions: str | None, topic_required: bool = True) -> None:
    if not topic and topic_required:
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


def check_plan(plan: plans.Plan, holder_id: str, test_mode: bool, posts_needed: int = 1) -> None:
    """Concurrency, then quota (charged plus reserved posts, and the `posts_needed` by
    this request), counted for the plan holder. Runs under `plans.holder_locked`, so
    parallel requests cannot both pass."""
    check_concurrency(plan, holder_id)
    if test_mode or plan.posts_limit is None:
        return
    left = plan.posts_limit - plans.posts_used_by(holder_id) - quota.posts_reserved(holder_id)
    if left < posts_needed:
        raise Forbidden(
            f"You have used all {plan.posts_limit} posts of this month."
            if left <= 0
            else f"This needs {posts_needed} posts of your monthly quota; {left} left.",
            code=ErrorCode.QUOTA_EXCEEDED,
        )


def check_concurrency(plan: plans.Plan, holder_id: str) -> None:
    """CONCURRENT_LIMIT_EXCEEDED (429) when the holder's plan runs as many jobs as it may
    (a paused job does not count). Under `plans.holder_locked`."""
    if quota.running_post_jobs(holder_id) >= plan.concurrent_limit:
        raise AppError(
            f"Your plan runs {plan.concurrent_limit} generation(s) at a time; "
            "wait for one to finish.",
            code=ErrorCode.CONCURRENT_LIMIT_EXCEEDED,
            retry_after=CONCURRENCY_RETRY_SECONDS,
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
