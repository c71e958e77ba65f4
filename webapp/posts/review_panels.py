"""The review features' parts of a post's page, gathered for `posts.show`."""

from __future__ import annotations

from . import comments, exports, review, suggestions

PANELS = (review.panel, comments.panel, exports.panel, suggestions.panel)


def review_context(post, user) -> dict:
    """Each review feature's template variables for the post page."""
    context: dict = {}
    for panel in PANELS:
        context.update(panel(post, user))
    return context
