"""Approval: the review state table, and what "approval required" lets out of Copydesk."""

from __future__ import annotations

from ...extensions import db
from ...models import Post, Project
from ...vocabulary import PostStatus, ReviewStatus

# A content change sends a post in review (or reviewed) back to draft.
RESET_BY_CONTENT_CHANGE = frozenset(
    {ReviewStatus.IN_REVIEW, ReviewStatus.APPROVED, ReviewStatus.CHANGES_REQUESTED}
)


def review_status_after_content_change(post: Post) -> str:
    """The review status a post takes when its content changes: draft again, unless it
    was already a draft (or is published, which content changes do not undo). The last
    approval's record (approved_version/by/at) stays."""
    if post.review_status in RESET_BY_CONTENT_CHANGE:
        return ReviewStatus.DRAFT
    return post.review_status


def is_cleared(post: Post) -> bool:
    """Whether the post may leave Copydesk (export, ZIP, share) under its project's rule:
    any completed post, or, where approval is required, one approved at its current
    version."""
    if post.status != PostStatus.COMPLETED:
        return False
    if not post.project.approval_required:
        return True
    return is_approved_as_is(post)


def is_approved_as_is(post: Post) -> bool:
    return (
        post.review_status == ReviewStatus.APPROVED
        and post.approved_version is not None
        and post.approved_version == post.item_version
    )


def cleared_posts(project: Project):
    """A select of the project's posts that may leave Copydesk (see `is_cleared`)."""
    query = db.select(Post).where(
        Post.project_id == project.id, Post.status == PostStatus.COMPLETED
    )
    if project.approval_required:
        query = query.where(
            Post.review_status == ReviewStatus.APPROVED,
            Post.approved_version == Post.item_version,
        )
    return query
