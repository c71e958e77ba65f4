"""A project's list of posts (templates/posts/_list.html), shared by the post pages and the
project page's posts panel."""

from __future__ import annotations

from math import ceil

from ..services import posts as post_service
from ..vocabulary import PostStatus

PER_PAGE = 10
STATUS_FILTERS = (PostStatus.GENERATING, PostStatus.COMPLETED, PostStatus.FAILED)


def panel_context(project) -> dict:
    """The project page's posts panel: the first page of posts, all statuses."""
    context = list_context(project, status=None, page=1)
    del context["project"]  # the project page passes its own
    return context


def list_context(project, status: str | None, page: int) -> dict:
    status = status if status in STATUS_FILTERS else None
    posts, total = post_service.list_posts(project, status, PER_PAGE, (page - 1) * PER_PAGE)
    return {
        "project": project,
        "posts": posts,
        "posts_total": total,
        "posts_status": status,
        "posts_page": page,
        "posts_pages": max(1, ceil(total / PER_PAGE)),
        "posts_generating": any(p.status == PostStatus.GENERATING for p in posts),
    }
