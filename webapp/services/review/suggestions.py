"""Model suggestions: an editor quotes a passage of a post and asks for a change; an
`ai_edit` job writes the replacement (the model, or the offline edits when none is
configured); the editor accepts it (a content change, as a new revision) or rejects it.

A suggestion counts toward the plan's concurrency like a generation, but uses no post of
the monthly quota: it writes no post.
"""

from __future__ import annotations

import logging

from flask import current_app

from ...errors import AppError, Conflict, ErrorCode, ServiceUnavailable, ValidationFailed
from ...extensions import db
from ...models import Job, Post, PostSuggestion, User
from ...vocabulary import JobType, PostStatus, SuggestionAction, SuggestionStatus
from .. import job_registry, jobs, llm, plans, quota
from ..access import Permission, get_owned_or_404
from ..paging import Page, newest_first, paginate
from . import channel_content, editing, quotes, suggestion_writer

log = logging.getLogger(__name__)
INSTRUCTIONS_MAX = 2000
TONE_MAX = 64
DEAD_WORKER_MESSAGE = (
    "The worker writing this suggestion stopped unexpectedly; ask for the suggestion again."
)
LOST_MESSAGE = (
    "The suggestion's job was lost from the queue (its entry in Redis disappeared); ask "
    "for the suggestion again."
)
POST_DELETED_MESSAGE = "The post was deleted before the suggestion was written."


def get_suggestion_or_404(
    suggestion_id: str, user: User, need: Permission = Permission.READ
) -> PostSuggestion:
    """A suggestion on a post `user` may see, if their role allows `need`; anybody
    else's, or a missing one, is SUGGESTION_NOT_FOUND (404)."""
    return get_owned_or_404(
        PostSuggestion,
        suggestion_id,
        user,
        need=need,
        code=ErrorCode.SUGGESTION_NOT_FOUND,
        message="Suggestion not found.",
    )


def list_suggestions(post: Post, limit: int = 50, offset: int = 0) -> Page[PostSuggestion]:
    """The post's suggestions, newest first."""
    query = db.select(PostSuggestion).where(PostSuggestion.post_id == post.id)
    return paginate(query, order_by=newest_first(PostSuggestion), limit=limit, offset=offset)


def can_suggest_on(post: Post) -> bool:
    """Whether `post` takes suggestions: completed, with Markdown as its source of truth."""
    return (
        post.status == PostStatus.COMPLETED and "markdown" in channel_content.EDITABLE[post.channel]
    )


# --------------------------------------------------------------------- requesting


def request_suggestion(
    post: Post,
    user: User,
    action: str,
    quote: str,
    instructions: str | None = None,
    tone: str | None = None,
) -> PostSuggestion:
    """Queue an `ai_edit` job for `action` on `quote` (one passage of the post's Markdown).

    `post` was fetched for Permission.EDIT. Raises INVALID_STATE for a post not completed,
    VALIDATION_ERROR for a channel without Markdown or an unknown action, QUOTE_NOT_FOUND
    / QUOTE_AMBIGUOUS, MODEL_REQUIRED for a model-only action without a model,
    CONCURRENT_LIMIT_EXCEEDED (429) over the plan's concurrency, SERVICE_UNAVAILABLE when
    the queue is down (and then nothing is kept)."""
    editing.require_completed(post)
    require_markdown_channel(post)
    action = check_action(action)
    instructions, tone = check_texts(instructions, tone)
    quotes.locate((post.content or {}).get("markdown") or "", quote)
    if action not in suggestion_writer.OFFLINE_ACTIONS and not suggestion_writer.uses_model(post):
        raise ValidationFailed(
            suggestion_writer.model_required_message(action), code=ErrorCode.MODEL_REQUIRED
        )
    plan, holder_id = plans.plan_and_holder_of(post.project)
    with plans.holder_locked(holder_id):
        check_concurrency(plan, holder_id)
        job = jobs.create_job(user, JobType.AI_EDIT, post.project)
        db.session.flush()
        suggestion = PostSuggestion(
            post_id=post.id,
            job_id=job.id,
            user_id=user.id,
            action=action,
            quote=quotes.collapse(quote),
            instructions=instructions,
            tone=tone,
            status=SuggestionStatus.PENDING,
        )
        db.session.add(suggestion)
    try:
        job_registry.enqueue(job, job.id, description=f"suggest {action} on post {post.id}")
    except ServiceUnavailable:
        db.session.delete(suggestion)
        db.session.delete(job)
        db.session.commit()
        raise
    return suggestion


def require_markdown_channel(post: Post) -> None:
    if "markdown" not in channel_content.EDITABLE[post.channel]:
        raise ValidationFailed(
            f"Suggestions work on the Markdown of blog, social and email posts; edit this "
            f"{post.channel} post's text directly.",
            errors=[
                {"loc": ["path", "post_id"], "msg": "Not a Markdown post.", "type": "value_error"}
            ],
        )


def check_action(action: str) -> SuggestionAction:
    try:
        return SuggestionAction(action)
    except ValueError:
        choices = ", ".join(a.value for a in SuggestionAction)
        raise ValidationFailed(
            f"Unknown action {action!r}; one of {choices}.",
            errors=[
                {"loc": ["body", "action"], "msg": f"One of {choices}.", "type": "value_error"}
            ],
        ) from None


def check_texts(instructions: str | None, tone: str | None) -> tuple[str | None, str | None]:
    instructions = (instructions or "").strip() or None
    tone = " ".join((tone or "").split()) or None
    for field, value, limit in (
        ("instructions", instructions, INSTRUCTIONS_MAX),
        ("tone", tone, TONE_MAX),
    ):
        if value and len(value) > limit:
            message = f"At most {limit} characters."
            raise ValidationFailed.at(
                field, message, summary=f"The {field} exceed {limit} characters."
            )
    return instructions, tone


def _error(field: str, message: str, where: str = "body") -> dict:
    return {"loc": [where, field], "msg": message, "type": "value_error"}


def check_concurrency(plan: plans.Plan, holder_id: str) -> None:
    """CONCURRENT_LIMIT_EXCEEDED (429) when the plan's jobs at a time are all running."""
    if quota.running_post_jobs(holder_id) >= plan.concurrent_limit:
        raise AppError(
            f"Your plan runs {plan.concurrent_limit} generation(s) or suggestion(s) at a "
            "time; wait for one to finish.",
            code=ErrorCode.CONCURRENT_LIMIT_EXCEEDED,
            retry_after=10,
        )


# ------------------------------------------------------------------------ the job


def suggestion_of(job_id: str) -> PostSuggestion | None:
    return db.session.execute(
        db.select(PostSuggestion).where(PostSuggestion.job_id == job_id)
    ).scalar_one_or_none()


def run_suggestion(job_id: str) -> None:
    """Write the replacement of the suggestion of `job_id` and complete the job; a
    failure is recorded on both (with its reason), then re-raised."""
    job = db.session.get(Job, job_id)
    suggestion = suggestion_of(job_id)
    if job is None or job.is_finished:
        log.info("job %s: nothing to do (deleted or finished)", job_id)
        return
    if suggestion is None:  # its post was deleted (the suggestion with it)
        jobs.fail_job(job, POST_DELETED_MESSAGE)
        return
    jobs.start_job(job, "Writing the suggestion")
    try:
        replacement = write_replacement(suggestion)
    except (AppError, llm.LLMError) as exc:
        record_failure_for_job(job_id, exc.message)
        raise
    suggestion.replacement = replacement
    suggestion.status = SuggestionStatus.READY
    jobs.complete_job(job, {"suggestion_id": suggestion.id, "post_id": suggestion.post_id})


def write_replacement(suggestion: PostSuggestion) -> str:
    post = suggestion.post
    markdown = (post.content or {}).get("markdown") or ""
    start, end = quotes.locate(markdown, suggestion.quote)
    quote = markdown[start:end]
    if suggestion_writer.uses_model(post):
        return suggestion_writer.model_replacement(
            suggestion.action,
            quote,
            markdown[:start],
            markdown[end:],
            suggestion.instructions or "",
            suggestion.tone or "",
            current_app.config,
        )
    if suggestion.action not in suggestion_writer.OFFLINE_ACTIONS:
        raise AppError(
            suggestion_writer.model_required_message(suggestion.action),
            code=ErrorCode.MODEL_REQUIRED,
        )
    before = markdown[:start].rstrip(" \t")
    starts_sentence = not before or before.endswith(("\n", ".", "!", "?", "]"))
    return suggestion_writer.offline_replacement(suggestion.action, quote, starts_sentence)


def record_failure_for_job(job_id: str, message: str) -> None:
    """Mark the suggestion and its job failed with `message`, in one commit."""
    db.session.rollback()
    job = db.session.get(Job, job_id)
    suggestion = suggestion_of(job_id)
    if suggestion is not None and suggestion.status == SuggestionStatus.PENDING:
        suggestion.status = SuggestionStatus.FAILED
        suggestion.error_message = message
    if job is not None and not job.is_finished:
        jobs.fail_job(job, message)
    else:
        db.session.commit()


# -------------------------------------------------------------- accept / reject


def require_ready(suggestion: PostSuggestion) -> None:
    if suggestion.status != SuggestionStatus.READY:
        raise ValidationFailed(
            f"The suggestion is {suggestion.status}; only a ready suggestion can be "
            "accepted or rejected.",
            code=ErrorCode.INVALID_STATE,
        )


def accept(suggestion: PostSuggestion, user: User, item_version: int) -> Post:
    """Replace the quote with the suggestion, as version `item_version + 1` of the post
    (a revision "Accepted suggestion: ..."). INVALID_STATE unless ready,
    STALE_SUGGESTION (409) when the quote is no longer in the post exactly once (checked
    first), then VERSION_CONFLICT for a stale `item_version`."""
    require_ready(suggestion)
    post = suggestion.post
    editing.require_completed(post)
    markdown = (post.content or {}).get("markdown") or ""
    if not quotes.is_unique(markdown, suggestion.quote):
        raise Conflict(
            "The passage this suggestion changes is no longer in the post as it was; ask "
            "for a new suggestion on the current text.",
            code=ErrorCode.STALE_SUGGESTION,
        )
    editing.require_version(post, item_version)
    new_markdown = quotes.replace_once(markdown, suggestion.quote, suggestion.replacement)
    new_content = channel_content.edited_content(
        post.channel, post.content or {}, {"markdown": new_markdown}, None
    )
    suggestion.status = SuggestionStatus.ACCEPTED
    post = editing.change_content(post, user, new_content, summary_of(suggestion), item_version)
    db.session.commit()  # the status, when the content was already the same
    return post


def summary_of(suggestion: PostSuggestion) -> str:
    head = " ".join(suggestion.quote.split()[:6])
    more = "…" if len(suggestion.quote.split()) > 6 else ""
    return f"Accepted suggestion: {suggestion.action} “{head}{more}”"[:200]


def reject(suggestion: PostSuggestion) -> PostSuggestion:
    """Mark a ready suggestion rejected (INVALID_STATE otherwise)."""
    require_ready(suggestion)
    suggestion.status = SuggestionStatus.REJECTED
    db.session.commit()
    return suggestion
