"""Export downloads of a post and a project."""

from __future__ import annotations


def panel(post, user) -> dict:
    """What templates/posts/show.html needs from this feature."""
    return {}
