"""Editing a post's content, and its revisions: the editor page, the list, a diff, a restore."""

from __future__ import annotations

from flask_login import current_user

from ..rendering import page_or_fragment
from ..services import posts as post_service
from ..services.access import Permission
from . import bp


@bp.route("/posts/<post_id>/edit", methods=["GET", "POST"])
def edit(post_id: str):
    post = post_service.get_post_or_404(post_id, current_user, Permission.EDIT)
    return page_or_fragment("posts/edit.html", "posts/edit.html", post=post, project=post.project)


@bp.get("/posts/<post_id>/revisions")
def revisions(post_id: str):
    post = post_service.get_post_or_404(post_id, current_user)
    return page_or_fragment(
        "posts/revisions.html", "posts/revisions.html", post=post, project=post.project
    )
