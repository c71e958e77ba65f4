"""Model suggestions beside the editor."""

from __future__ import annotations


def panel(post, user) -> dict:
    """What templates/posts/show.html needs from this feature."""
    return {}
