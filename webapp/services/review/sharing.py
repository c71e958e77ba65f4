"""Share links: a read-only page of a post for someone without an account.

A link is `{BASE_URL}/share/{token}`; only the token's SHA-256 is stored, so the token is
shown once, when the link is made. A post has at most one active link (not revoked, not
expired): making a new one revokes the one before. A link opens only while the post may
leave Copydesk (`approval.is_cleared`): under "approval required", a post edited after
its approval stops showing until it is approved again.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from ...config import public_url
from ...errors import ErrorCode, NotFound
from ...extensions import db
from ...models import Post, PostComment, ShareLink, User
from ...timeutil import utcnow
from ...vocabulary import Activity
from .. import activity
from . import approval, comments, editing

DEFAULT_DAYS = 14
MIN_DAYS, MAX_DAYS = 1, 90
PAGE_PATH = "/share/{token}"


def link_not_found() -> NotFound:
    return NotFound("The post has no active share link.", code=ErrorCode.SHARE_LINK_NOT_FOUND)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def url_of(token: str) -> str:
    """The absolute URL of the share page for `token`, under BASE_URL."""
    return public_url(PAGE_PATH.format(token=token))


def create_link(
    post: Post, creator: User, *, expires_in_days: int = DEFAULT_DAYS, allow_comments: bool = False
) -> tuple[ShareLink, str]:
    """A new active link to `post` (revoking the one before) and its token, which is not
    stored. INVALID_STATE for a post not completed, APPROVAL_REQUIRED (see
    `approval.require_cleared`); the caller checked Permission.EDIT."""
    editing.require_completed(post)
    approval.require_cleared(post, "shared")
    days = max(MIN_DAYS, min(MAX_DAYS, int(expires_in_days)))
    now = utcnow()
    _revoke_active(post, now)
    token = secrets.token_urlsafe(32)
    link = ShareLink(
        post_id=post.id,
        token_hash=hash_token(token),
        created_by=creator.id,
        allow_comments=bool(allow_comments),
        expires_at=now + timedelta(days=days),
        created_at=now,
    )
    db.session.add(link)
    activity.record(
        post.project.workspace_id,
        creator,
        Activity.POST_SHARED,
        "post",
        post.id,
        f"{activity.actor_name(creator)} shared the {activity.post_noun(post)} "
        f"{activity.quoted(post.topic)} for {days} day{'s' if days != 1 else ''}",
    )
    db.session.commit()
    return link, token


def active_link(post: Post) -> ShareLink | None:
    """The post's active link, if any."""
    return db.session.execute(
        db.select(ShareLink)
        .where(
            ShareLink.post_id == post.id,
            ShareLink.revoked_at.is_(None),
            ShareLink.expires_at > utcnow(),
        )
        .order_by(ShareLink.created_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def get_active_link_or_404(post: Post) -> ShareLink:
    link = active_link(post)
    if link is None:
        raise link_not_found()
    return link


def revoke(post: Post) -> None:
    """Revoke the post's active link: SHARE_LINK_NOT_FOUND when there is none."""
    get_active_link_or_404(post)
    _revoke_active(post, utcnow())
    db.session.commit()


def _revoke_active(post: Post, now) -> None:
    db.session.execute(
        db.update(ShareLink)
        .where(ShareLink.post_id == post.id, ShareLink.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


def open_link(token: str) -> ShareLink:
    """The active link of `token` whose post may be shown; NotFound otherwise (unknown,
    expired, revoked, or a post no longer cleared to leave): the guest learns nothing."""
    link = None
    if token and len(token) <= 128:
        link = db.session.execute(
            db.select(ShareLink).where(ShareLink.token_hash == hash_token(token))
        ).scalar_one_or_none()
    if (
        link is None
        or link.revoked_at is not None
        or link.expires_at <= utcnow()
        or not approval.is_cleared(link.post)
    ):
        raise NotFound("Not found.")
    return link


def guest_comments(link: ShareLink) -> list[PostComment]:
    """The comments guests left on the post, oldest first (members' own discussion is
    not shown on the shared page)."""
    return [c for c in comments.list_comments(link.post) if c.author_id is None and c.guest_name]


def add_guest_comment(
    link: ShareLink, name: str, body: str, quote: str | None = None
) -> PostComment:
    """A guest's comment through `link` (not found when it does not allow comments)."""
    if not link.allow_comments:
        raise NotFound("Not found.")
    return comments.create_comment(link.post, None, body, quote=quote, guest_name=name)
