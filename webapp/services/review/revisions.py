"""Revisions: revision 1 is the generated draft; every content change adds the next, with
its author, time, words and a one-line summary. Any two compare as a diff; any can be
restored (as a new revision, by `editing.restore`)."""

from __future__ import annotations

import difflib

from ...errors import ErrorCode, NotFound
from ...extensions import db
from ...models import Post, PostRevision, User
from ...models.base import is_valid_id
from ..paging import Page, paginate

GENERATED_SUMMARY = "Generated draft"


def record(post: Post, author: User | None, summary: str) -> PostRevision:
    """Keep the post's current content as the revision of its `item_version` (no commit)."""
    revision = PostRevision(
        post_id=post.id,
        item_version=post.item_version,
        author_id=author.id if author else None,
        summary=summary[:200],
        word_count=(post.content or {}).get("word_count") or post.word_count or 0,
        content=post.content or {},
    )
    db.session.add(revision)
    return revision


def ensure_first(post: Post) -> None:
    """Give a post written before revisions were kept its revision 1 (no commit)."""
    if post.content is None:
        return
    exists = db.session.execute(
        db.select(PostRevision.id).where(PostRevision.post_id == post.id).limit(1)
    ).first()
    if not exists:
        record(post, None, GENERATED_SUMMARY)


def list_revisions(post: Post, limit: int = 50, offset: int = 0) -> Page[PostRevision]:
    """The post's revisions, newest first, their authors loaded with them."""
    ensure_first(post)
    db.session.commit()
    query = (
        db.select(PostRevision)
        .where(PostRevision.post_id == post.id)
        .options(db.joinedload(PostRevision.author))
    )
    return paginate(
        query,
        order_by=(PostRevision.item_version.desc(),),
        limit=limit,
        offset=offset,
    )


def get_revision_or_404(post: Post, revision_id: str) -> PostRevision:
    """A revision of `post` (fetched for the caller already); REVISION_NOT_FOUND else."""
    ensure_first(post)
    revision = None
    if is_valid_id(revision_id):
        revision = db.session.execute(
            db.select(PostRevision).where(
                PostRevision.id == revision_id, PostRevision.post_id == post.id
            )
        ).scalar_one_or_none()
    if revision is None:
        raise NotFound("Revision not found.", code=ErrorCode.REVISION_NOT_FOUND)
    return revision


def previous_of(revision: PostRevision) -> PostRevision:
    """The revision before `revision` (itself for the first one)."""
    return (
        db.session.execute(
            db.select(PostRevision)
            .where(
                PostRevision.post_id == revision.post_id,
                PostRevision.item_version < revision.item_version,
            )
            .order_by(PostRevision.item_version.desc())
            .limit(1)
        ).scalar_one_or_none()
        or revision
    )


def diff(older: PostRevision, newer: PostRevision) -> str:
    """A unified diff of the two revisions' Markdown (email: with subject and preheader)."""
    return "".join(
        difflib.unified_diff(
            comparable_lines(older.content),
            comparable_lines(newer.content),
            fromfile=f"revision {older.item_version}",
            tofile=f"revision {newer.item_version}",
        )
    )


def comparable_lines(content: dict) -> list[str]:
    head = [
        f"{label}: {content[key]}\n"
        for key, label in (("subject", "Subject"), ("preheader", "Preheader"))
        if content.get(key)
    ]
    lines = (content.get("markdown") or "").splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return head + (["\n"] if head else []) + lines


def summarise_edit(before: dict, after: dict) -> str:
    """One line saying what an edit changed: which parts, and the words gained or lost."""
    changed = changed_parts(before, after)
    words = (after.get("word_count") or 0) - (before.get("word_count") or 0)
    what = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    delta = f"{words:+,} words" if words else "same length"
    return f"Edited {what or 'the text'} ({delta})"


def changed_parts(before: dict, after: dict) -> list[str]:
    parts = []
    if before.get("title") != after.get("title"):
        parts.append("the title")
    for field in ("subject", "preheader", "introduction", "conclusion", "text"):
        if field in after and before.get(field) != after.get(field):
            parts.append(f"the {field}")
    if "thread" in after and before.get("thread") != after.get("thread"):
        parts.append("the thread")
    old_sections = {s["heading"]: s["content"] for s in before.get("sections") or []}
    for section in after.get("sections") or []:
        if old_sections.get(section["heading"]) != section["content"]:
            parts.append(f"“{section['heading']}”")
    return parts
