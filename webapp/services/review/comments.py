"""Comments on a post or on a quoted passage of it: threads, resolving, @mentions.

Who may do what: members who may comment (Permission.COMMENT: editors, reviewers,
admins, owners; not viewers) write comments and replies; only a comment's author edits
its body; editors and up resolve, reopen and delete, and so do reviewers resolve and
reopen (they review: settling a discussion is part of it), but they do not delete.

Threads are one level deep: a reply to a reply attaches to the thread's first comment.
Bodies are stored as sent (trimmed) and shown escaped, never as HTML. Comments never
change the post's `item_version`.
"""

from __future__ import annotations

import re

from ...errors import ErrorCode, Forbidden, NotFound, ValidationFailed, field_error
from ...extensions import db
from ...models import Membership, Post, PostComment, User, Workspace
from ..access import InsufficientRole, Permission, can, get_owned_or_404, role_in
from . import editing, notifications, quotes

BODY_MAX = 10_000
GUEST_NAME_MAX = 80
RESOLVERS = (Permission.EDIT, Permission.REVIEW)


def get_comment_or_404(
    comment_id: str, user: User, need: Permission = Permission.READ
) -> PostComment:
    """A comment on a post of a workspace `user` belongs to, if their role allows `need`;
    anybody else's, or a missing one, is COMMENT_NOT_FOUND (404)."""
    return get_owned_or_404(
        PostComment,
        comment_id,
        user,
        need=need,
        code=ErrorCode.COMMENT_NOT_FOUND,
        message="Comment not found.",
    )


def list_comments(post: Post) -> list[PostComment]:
    """The post's comments, oldest first, those whose quote went (outdated) at the top."""
    return list(
        db.session.execute(
            db.select(PostComment)
            .where(PostComment.post_id == post.id)
            .order_by(
                PostComment.outdated.desc(), PostComment.created_at.asc(), PostComment.id.asc()
            )
        ).scalars()
    )


def threads(post: Post) -> list[tuple[PostComment, list[PostComment]]]:
    """The post's comments as (first comment, its replies) in `list_comments` order."""
    found = list_comments(post)
    replies: dict[str, list[PostComment]] = {}
    for comment in found:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [(c, replies.get(c.id, [])) for c in found if not c.parent_id]


def create_comment(
    post: Post,
    author: User | None,
    body: str,
    *,
    quote: str | None = None,
    parent_id: str | None = None,
    guest_name: str | None = None,
) -> PostComment:
    """Add a comment (a reply when `parent_id` names a comment of the post) by `author`,
    or by a guest named `guest_name` when `author` is None. Raises INVALID_STATE for a
    post not completed, VALIDATION_ERROR for an empty or over-long body,
    QUOTE_NOT_FOUND for a quote not in the post, COMMENT_NOT_FOUND for a parent not of
    this post. Members mentioned in the body are mailed (unless they turned it off)."""
    editing.require_completed(post)
    body = clean_body(body)
    if quote is not None and not quote.strip():
        quote = None
    if quote is not None:
        check_quote(post, quote)
    comment = PostComment(
        post_id=post.id,
        parent_id=thread_root_id(post, parent_id),
        author_id=author.id if author else None,
        guest_name=clean_guest_name(guest_name) if author is None else None,
        body=body,
        quote=quote,
    )
    db.session.add(comment)
    db.session.commit()
    if author is not None:
        mentioned = mentioned_members(post.project.workspace, body, author)
        notifications.notify_mentioned(post, comment, mentioned)
    return comment


def update_comment(
    comment: PostComment, user: User, *, body: str | None = None, resolved: bool | None = None
) -> PostComment:
    """Change the body (its author only: FORBIDDEN for anyone else) and/or resolve or
    reopen it (editors and up, and reviewers: INSUFFICIENT_ROLE for others). Nothing is
    changed unless everything asked for is allowed. Newly mentioned members are mailed."""
    if body is not None and comment.author_id != user.id:
        raise Forbidden("Only its author can edit a comment.", code=ErrorCode.FORBIDDEN)
    if resolved is not None and not may_resolve(comment, user):
        raise InsufficientRole()
    before = comment.body
    if body is not None:
        comment.body = clean_body(body)
    if resolved is not None:
        comment.resolved = resolved
    db.session.commit()
    if body is not None:
        post = db.session.get(Post, comment.post_id)
        workspace = post.project.workspace
        already = {u.id for u in mentioned_members(workspace, before, user)}
        fresh = [u for u in mentioned_members(workspace, comment.body, user) if u.id not in already]
        notifications.notify_mentioned(post, comment, fresh)
    return comment


def delete_comment(comment: PostComment) -> None:
    """Delete the comment and its replies (the caller checked Permission.EDIT)."""
    db.session.delete(comment)
    db.session.commit()


def may_resolve(comment: PostComment, user: User) -> bool:
    """Whether `user` may resolve or reopen `comment` (see the module's docstring)."""
    post = db.session.get(Post, comment.post_id)
    role = role_in(post.project.workspace_id, user)
    return any(can(role, need) for need in RESOLVERS)


def thread_root_id(post: Post, parent_id: str | None) -> str | None:
    """The comment a reply attaches to: `parent_id`, or its own parent when it is a reply
    itself. COMMENT_NOT_FOUND unless it is a comment of `post`."""
    if not parent_id:
        return None
    parent = db.session.get(PostComment, parent_id) if len(parent_id) <= 64 else None
    if parent is None or parent.post_id != post.id:
        raise NotFound(
            "The comment replied to is not a comment of this post.",
            code=ErrorCode.COMMENT_NOT_FOUND,
        )
    return parent.parent_id or parent.id


def check_quote(post: Post, quote: str) -> None:
    """VALIDATION_ERROR for an over-long quote, QUOTE_NOT_FOUND for one not in the post
    (it may occur more than once: a comment points at words, not at one place)."""
    if len(quote) > quotes.QUOTE_MAX:
        raise ValidationFailed(
            f"A quote holds at most {quotes.QUOTE_MAX:,} characters.",
            errors=[field_error("quote", f"At most {quotes.QUOTE_MAX:,} characters.")],
        )
    if not quotes.occurs(markdown_of(post), quote):
        quotes.locate(markdown_of(post), quote)  # raises QUOTE_NOT_FOUND


def clean_body(body: str | None) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(
            "Write a comment.", errors=[field_error("body", "The comment is empty.")]
        )
    if len(body) > BODY_MAX:
        raise ValidationFailed(
            f"A comment holds at most {BODY_MAX:,} characters.",
            errors=[field_error("body", f"At most {BODY_MAX:,} characters.")],
        )
    return body


def clean_guest_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > GUEST_NAME_MAX:
        raise ValidationFailed(
            f"Give your name (up to {GUEST_NAME_MAX} characters).",
            errors=[field_error("name", f"1 to {GUEST_NAME_MAX} characters.")],
        )
    return name


def markdown_of(post: Post) -> str:
    return (post.content or {}).get("markdown") or ""


def flag_outdated(post: Post) -> int:
    """Flag the post's comments whose quote is no longer in its Markdown (kept, listed
    first); a quote that is back clears the flag. Returns how many are outdated now.
    Does not commit: it runs inside the content change."""
    markdown = markdown_of(post)
    outdated = 0
    for comment in db.session.execute(
        db.select(PostComment).where(PostComment.post_id == post.id, PostComment.quote.is_not(None))
    ).scalars():
        comment.outdated = not quotes.occurs(markdown, comment.quote)
        outdated += comment.outdated
    return outdated


# --------------------------------------------------------------------- mentions


def mentioned_members(workspace: Workspace, body: str, author: User | None = None) -> list[User]:
    """The workspace's members named in `body` as `@Name` or `@email` (any case; a name
    may hold spaces), but not `author`. Derived from the body: nothing else is stored."""
    if "@" not in (body or ""):
        return []
    members = db.session.execute(
        db.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace.id)
        .order_by(User.name, User.id)
    ).scalars()
    return [
        user for user in members if (author is None or user.id != author.id) and _names(body, user)
    ]


def _names(body: str, user: User) -> bool:
    """Whether `body` holds `@<email>` or `@<name>` ending at a word boundary."""
    for handle in (user.email, user.name):
        if handle and re.search(r"@" + re.escape(handle) + r"(?![\w@.-]*\w)", body, re.I):
            return True
    return False
