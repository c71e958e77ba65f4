"""Approval: the review state table, and what "approval required" lets out of Copydesk.

| from | action | to | who |
|---|---|---|---|
| draft, changes_requested | submit | in_review | editor, admin, owner (EDIT) |
| in_review | approve | approved | reviewer, admin, owner (REVIEW) |
| in_review, approved | request changes (with a comment) | changes_requested | REVIEW |
| in_review, approved, changes_requested | any content change | draft | EDIT (editing.py) |

Anything else is INVALID_STATE (400), as is any review action on a post that is not
completed. Review actions never change `item_version`. Callers fetch the post with
`PERMISSIONS[action]` (`posts.get_post_or_404`), so a role without it gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import Conflict, ErrorCode, ValidationFailed, field_error
from ...extensions import db
from ...models import Post, PostComment, Project, User
from ...timeutil import utcnow
from ...vocabulary import Activity, PostStatus, ReviewAction, ReviewStatus
from .. import activity
from ..access import Permission
from . import editing, notifications

COMMENT_MAX = 10_000


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: ReviewStatus
    permission: Permission


TRANSITIONS: dict[ReviewAction, Transition] = {
    ReviewAction.SUBMIT: Transition(
        frozenset({ReviewStatus.DRAFT, ReviewStatus.CHANGES_REQUESTED}),
        ReviewStatus.IN_REVIEW,
        Permission.EDIT,
    ),
    ReviewAction.APPROVE: Transition(
        frozenset({ReviewStatus.IN_REVIEW}), ReviewStatus.APPROVED, Permission.REVIEW
    ),
    ReviewAction.REQUEST_CHANGES: Transition(
        frozenset({ReviewStatus.IN_REVIEW, ReviewStatus.APPROVED}),
        ReviewStatus.CHANGES_REQUESTED,
        Permission.REVIEW,
    ),
}
# What a member's role must allow to take each action (fetch the post with it).
PERMISSIONS = {action: t.permission for action, t in TRANSITIONS.items()}
# How the feed and the mail tell of each action ("Ann approved ...").
VERBS = {
    ReviewAction.SUBMIT: "submitted for review",
    ReviewAction.APPROVE: "approved",
    ReviewAction.REQUEST_CHANGES: "requested changes to",
}
DONE = {
    ReviewAction.SUBMIT: "submitted for review",
    ReviewAction.APPROVE: "approved",
    ReviewAction.REQUEST_CHANGES: "sent back with changes requested",
}
EVENTS = {
    ReviewAction.SUBMIT: Activity.POST_SUBMITTED,
    ReviewAction.APPROVE: Activity.POST_APPROVED,
    ReviewAction.REQUEST_CHANGES: Activity.POST_CHANGES_REQUESTED,
}


def allowed_actions(post: Post) -> list[ReviewAction]:
    """The review actions the post's state allows (whoever the member is)."""
    if post.status != PostStatus.COMPLETED:
        return []
    return [a for a, t in TRANSITIONS.items() if post.review_status in t.sources]


def submit(post: Post, actor: User) -> Post:
    """Send a draft (or a post whose changes were requested) to review. The caller
    fetched the post with Permission.EDIT."""
    return _move(post, actor, ReviewAction.SUBMIT)


def approve(
    post: Post, actor: User, item_version: int | None = None, channels: list[str] | None = None
) -> Post:
    """Approve the post in review at its current version: approved_version/by/at record
    it (and stay after later edits); `channels` is kept for publishing. A stale
    `item_version` (when sent) is VERSION_CONFLICT (409), checked before the state: the
    reviewer saw another text. The caller fetched the post with Permission.REVIEW."""
    editing.require_completed(post)
    editing.require_version(post, item_version)
    values = {"approved_version": post.item_version, "approved_by": actor.id}
    values |= {"approved_at": utcnow(), "approval_channels": channels}
    return _move(post, actor, ReviewAction.APPROVE, values, item_version)


def request_changes(post: Post, actor: User, comment: str) -> Post:
    """Send the post in review (or approved) back to its editors with `comment`, kept as
    the reviewer's comment on the post. The caller fetched it with Permission.REVIEW."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed(
            "Say what should change: a comment is required.",
            errors=[field_error("comment", "A comment is required.", "missing")],
        )
    if len(comment) > COMMENT_MAX:
        raise ValidationFailed(
            f"The comment is over {COMMENT_MAX:,} characters.",
            errors=[field_error("comment", f"At most {COMMENT_MAX:,} characters.")],
        )
    return _move(post, actor, ReviewAction.REQUEST_CHANGES, comment=comment)


def _move(
    post: Post,
    actor: User,
    action: ReviewAction,
    values: dict | None = None,
    item_version: int | None = None,
    comment: str | None = None,
) -> Post:
    """Apply `action` as one conditional UPDATE (the state, and the version read, still
    current), with its activity event and comment; one commit; then the mail."""
    editing.require_completed(post)
    transition = TRANSITIONS[action]
    require_state(post, action)
    moved = db.session.execute(
        db.update(Post)
        .where(
            Post.id == post.id,
            Post.review_status.in_(transition.sources),
            Post.item_version == post.item_version,
        )
        .values(review_status=transition.target, updated_at=utcnow(), **(values or {}))
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # someone acted or edited in between: answer as of now
        db.session.rollback()
        db.session.refresh(post)
        editing.require_version(post, item_version)
        require_state(post, action)
        raise editing.version_conflict(post.item_version)  # edited since it was read
    db.session.refresh(post)
    if comment is not None:
        db.session.add(PostComment(post_id=post.id, author_id=actor.id, body=comment))
    _record(post, actor, action)
    db.session.commit()
    notifications.review_action(post, actor, action, comment)
    return post


def require_state(post: Post, action: ReviewAction) -> None:
    """INVALID_STATE (400), naming the post's review status, unless `action` may be taken
    from it."""
    if post.review_status not in TRANSITIONS[action].sources:
        allowed = " or ".join(sorted(TRANSITIONS[action].sources))
        raise ValidationFailed(
            f"The post is {post.review_status}; it can be {DONE[action]} only when it is "
            f"{allowed}.",
            code=ErrorCode.INVALID_STATE,
            review_status=post.review_status,
        )


def _record(post: Post, actor: User, action: ReviewAction) -> None:
    version = f" (version {post.item_version})" if action == ReviewAction.APPROVE else ""
    activity.record(
        post.project.workspace_id,
        actor,
        EVENTS[action],
        "post",
        post.id,
        f"{activity.actor_name(actor)} {VERBS[action]} the {activity.post_noun(post)} "
        f"{activity.quoted(post.topic)}{version}",
    )


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


def require_cleared(post: Post, doing: str) -> None:
    """APPROVAL_REQUIRED (409) unless the post may leave Copydesk (see `is_cleared`);
    `doing` says what was refused ("exported", "shared")."""
    if post.project.approval_required and not is_approved_as_is(post):
        raise Conflict(
            f"This project requires approval: only a post approved at its current version "
            f"can be {doing}.",
            code=ErrorCode.APPROVAL_REQUIRED,
        )


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
