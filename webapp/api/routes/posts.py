"""The Posts endpoints of the reference API."""

from __future__ import annotations

from werkzeug.routing import BaseConverter

from ...errors import ErrorCode
from ...services import posts as post_service
from ...services.access import Permission
from ...services.projects import get_project_or_404
from ...services.review import editing
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.posts import (
    GenerateAccepted,
    GenerateRequest,
    PostEdit,
    PostList,
    PostListQuery,
    PostOut,
)


class PostIdConverter(BaseConverter):
    """Any path segment but `generate`, so that /posts/generate (POST only) does not also
    advertise the GET and DELETE of /posts/<post_id> in its Allow header."""

    regex = r"(?!(?:bulk-)?generate$)[^/]+"


@bp.post("/posts/generate")
@endpoint(
    "Generate a post in the background; poll the returned job",
    tag="Posts",
    body=GenerateRequest,
    response=GenerateAccepted,
    status=202,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.TOPIC_TOO_LONG,
        ErrorCode.INSTRUCTIONS_TOO_LONG,
        ErrorCode.INVALID_SOURCE,
        ErrorCode.EMAIL_NOT_VERIFIED,
        ErrorCode.VOICE_NOT_AVAILABLE,
        ErrorCode.QUOTA_EXCEEDED,
        ErrorCode.PROJECT_NOT_FOUND,
        ErrorCode.SOURCE_NOT_FOUND,
        ErrorCode.ALREADY_GENERATING,
        ErrorCode.CONCURRENT_LIMIT_EXCEEDED,
        ErrorCode.SOURCE_LIMIT_REACHED,  # release notes: the changes slot becomes a source
        ErrorCode.STORAGE_LIMIT_REACHED,
        ErrorCode.SERVICE_UNAVAILABLE,
    ),
    description="`workflow` picks what is written (GET /workflows/catalog): one post "
    "(blog_post, newsletter, release_notes), a campaign pack of four (blog, twitter, "
    "linkedin, email; four posts of the quota, reserved up front) or one per channel "
    "(repurpose). The finished job's result lists post_ids, and post_id when it has one "
    "main post. A campaign is one piece of work: when one of its posts fails, the job "
    "fails, every post with the reason, and nothing is charged. With review_outline the "
    "job pauses after the outline (slot_needed).",
)
def generate_post(body: GenerateRequest):
    principal = current_principal()
    job = post_service.request_generation(
        principal.user,
        project_id=body.project_id,
        topic=body.topic,
        voice=body.voice,
        target_length=body.target_length,
        channel=body.channel,
        custom_instructions=body.custom_instructions,
        source_ids=body.source_ids,
        metadata=body.metadata,
        test_mode=principal.test_mode,
        workflow=body.workflow,
        slots=body.slots,
        review_outline=body.review_outline,
    )
    return {"job_id": job.id, "status": job.status}


@bp.get("/posts/<post_id:post_id>")
@endpoint(
    "Get a post with its content", tag="Posts", response=PostOut, errors=(ErrorCode.POST_NOT_FOUND,)
)
def get_post(post_id: str):
    return post_service.get_post_or_404(post_id, current_principal().user)


@bp.patch("/posts/<post_id:post_id>")
@endpoint(
    "Edit a post's title or content (optimistic locking on item_version)",
    tag="Posts",
    body=PostEdit,
    response=PostOut,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.POST_NOT_FOUND,
        ErrorCode.INVALID_STATE,
        ErrorCode.VERSION_CONFLICT,
    ),
    description="Send the channel's source of truth: content.markdown (blog, social, email, "
    "which may also send subject and preheader), content.thread (twitter) or content.text "
    "(linkedin); title rewrites the title and the markdown's `# ` line. Derived fields are "
    "400. A stale item_version is 409 VERSION_CONFLICT with detail.current_version; the "
    "change is then not applied. Each change adds a revision and returns a post in review "
    "to draft.",
)
def edit_post(post_id: str, body: PostEdit):
    user = current_principal().user
    post = post_service.get_post_or_404(post_id, user, Permission.EDIT)
    return editing.edit(
        post,
        user,
        item_version=body.item_version,
        title=body.title,
        content=body.content.model_dump(exclude_none=True) if body.content else None,
    )


@bp.get("/posts/projects/<project_id>/posts")
@endpoint(
    "List a project's posts, newest first",
    tag="Posts",
    query=PostListQuery,
    response=PostList,
    errors=(ErrorCode.PROJECT_NOT_FOUND,),
)
def list_posts(project_id: str, query: PostListQuery):
    project = get_project_or_404(project_id, current_principal().user)
    posts, total = post_service.list_posts(
        project, query.status, query.limit, query.offset, review_status=query.review_status
    )
    return {"posts": posts, "total": total}


@bp.delete("/posts/<post_id:post_id>")
@endpoint(
    "Delete a post (its quota is not refunded)",
    tag="Posts",
    status=204,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.POST_NOT_FOUND,
    ),
)
def delete_post(post_id: str):
    user = current_principal().user
    post_service.delete_post(post_service.get_post_or_404(post_id, user, Permission.EDIT), user)
