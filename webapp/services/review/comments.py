"""Comments on a post or on a quoted passage of it."""

from __future__ import annotations

from ...extensions import db
from ...models import Post, PostComment
from . import quotes


def flag_outdated(post: Post) -> int:
    """Flag the post's comments whose quote is no longer in its Markdown (kept, listed
    first); a quote that is back clears the flag. Returns how many are outdated now.
    Does not commit: it runs inside the content change."""
    markdown = (post.content or {}).get("markdown") or ""
    outdated = 0
    for comment in db.session.execute(
        db.select(PostComment).where(PostComment.post_id == post.id, PostComment.quote.is_not(None))
    ).scalars():
        comment.outdated = not quotes.occurs(markdown, comment.quote)
        outdated += comment.outdated
    return outdated
