"""Changing a post's content: edits, accepted suggestions and restores all go through
`change_content`, under optimistic locking.

`item_version` is 1 when generation completes and goes up by 1 on each content change,
and only then. A change names the version it was made from; if the post has moved on it
is refused with VERSION_CONFLICT (409, `current_version` in the detail), never applied
over the other text. The check and the write are one conditional UPDATE, so of two saves
made from the same version exactly one lands.
"""

from __future__ import annotations

from ...errors import AppError, Conflict, ErrorCode, ValidationFailed
from ...extensions import db
from ...models import Post, PostRevision, User
from ...timeutil import utcnow
from ...vocabulary import PostStatus
from . import approval, channel_content, citation_markers, comments, revisions

EDIT_MAX_CHARACTERS = 200_000


def version_conflict(current_version: int) -> Conflict:
    return Conflict(
        f"The post was changed by someone else (it is now at version {current_version}); "
        "reload it and make your change again.",
        code=ErrorCode.VERSION_CONFLICT,
        current_version=current_version,
    )


def require_completed(post: Post) -> None:
    """INVALID_STATE (400) unless the post finished generating."""
    if post.status != PostStatus.COMPLETED:
        raise ValidationFailed(
            f"The post is {post.status}; only a completed post can be edited or reviewed.",
            code=ErrorCode.INVALID_STATE,
        )


def require_version(post: Post, item_version: int | None) -> None:
    """VERSION_CONFLICT unless `item_version` (when sent) is the post's current one."""
    if item_version is not None and item_version != post.item_version:
        raise version_conflict(post.item_version)


def edit(
    post: Post,
    author: User,
    *,
    item_version: int,
    title: str | None = None,
    content: dict | None = None,
) -> Post:
    """Apply an editor's PATCH: `content` holds the channel's source of truth (see
    `channel_content.EDITABLE`), `title` sets the title. Raises INVALID_STATE for a post
    not completed, VALIDATION_ERROR for derived or invalid fields, PAYLOAD_TOO_LARGE for
    an edit over 200,000 characters, VERSION_CONFLICT for a stale `item_version`."""
    require_completed(post)
    check_size(title, content or {})
    new_content = channel_content.edited_content(
        post.channel, post.content or {}, content or {}, title
    )
    summary = revisions.summarise_edit(post.content or {}, new_content)
    return change_content(post, author, new_content, summary, item_version)


def check_size(title: str | None, content: dict) -> None:
    size = len(title or "") + sum(
        len(v) if isinstance(v, str) else sum(len(str(i)) for i in v)
        for v in content.values()
        if isinstance(v, str | list)
    )
    if size > EDIT_MAX_CHARACTERS:
        raise AppError(
            f"The edit is {size:,} characters; a post holds at most {EDIT_MAX_CHARACTERS:,}.",
            code=ErrorCode.PAYLOAD_TOO_LARGE,
        )


def change_content(
    post: Post, author: User | None, new_content: dict, summary: str, item_version: int
) -> Post:
    """Make `new_content` the post's content as version `item_version + 1`, made from
    version `item_version`: citations re-resolved, a revision kept, the review status
    back to draft, comments whose quote went flagged outdated; one commit. Content equal
    to the current one changes nothing (no new version)."""
    require_version(post, item_version)
    new_content = with_resolved_citations(post.channel, new_content)
    if new_content == post.content:
        return post
    revisions.ensure_first(post)
    claimed = db.session.execute(
        db.update(Post)
        .where(Post.id == post.id, Post.item_version == item_version)
        .values(
            item_version=item_version + 1,
            content=new_content,
            word_count=new_content.get("word_count"),
            links=kept_links(post.links, new_content),
            review_status=approval.review_status_after_content_change(post),
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise version_conflict(current_version_of(post.id))
    db.session.refresh(post)
    revisions.record(post, author, summary)
    comments.flag_outdated(post)
    db.session.commit()
    return post


def with_resolved_citations(channel: str, content: dict) -> dict:
    """`content` with its markers and citations agreeing (see citation_markers); twitter
    and linkedin carry no markers and keep their citations list."""
    if not channel_content.carries_markers(channel) or "citations" not in content:
        return content
    markdown, kept = citation_markers.resolve(
        content.get("markdown") or "", content.get("citations") or []
    )
    if markdown == content.get("markdown") and kept == content.get("citations"):
        return content
    rederived = channel_content.edited_content(channel, content, {"markdown": markdown}, None)
    return {**rederived, "citations": kept}


def kept_links(links: list[dict], content: dict) -> list[dict]:
    """The inserted internal links still in the text."""
    markdown = content.get("markdown") or ""
    return [link for link in links or [] if f"]({link['target_url']})" in markdown]


def current_version_of(post_id: str) -> int:
    return db.session.execute(db.select(Post.item_version).where(Post.id == post_id)).scalar_one()


def restore(post: Post, author: User, revision: PostRevision, item_version: int | None) -> Post:
    """Make `revision`'s content current again, as a new revision (made from
    `item_version`, or from the current version when not sent)."""
    require_completed(post)
    version = post.item_version if item_version is None else item_version
    return change_content(
        post,
        author,
        dict(revision.content),
        f"Restored revision {revision.item_version}",
        version,
    )
