"""Comments on a post's page: the panel under the article, and its forms (add, reply,
edit one's own, resolve or reopen, delete). Each answers htmx with the panel and a plain
form post with a redirect back to the post."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user

from ..errors import AppError
from ..rendering import page_or_fragment
from ..services import posts as post_service
from ..services.access import Permission
from ..services.review import comments as comment_service
from . import bp, sharing


def panel(post, user, error: AppError | None = None, sent: dict | None = None) -> dict:
    """What templates/posts/show.html needs from this feature (and the share panel)."""
    threads = comment_service.threads(post)
    return {
        "comment_threads": threads,
        "comment_quotes": [
            c.quote for c, _ in threads if c.quote and not c.outdated and not c.resolved
        ],
        "comment_error": error,
        "comment_sent": sent or {},
        **sharing.panel(post, user),
    }


@bp.post("/posts/<post_id>/comments")
def add_comment(post_id: str):
    post = post_service.get_post_or_404(post_id, current_user, Permission.COMMENT)
    sent = {key: request.form.get(key) or None for key in ("body", "quote", "parent_id")}
    try:
        comment_service.create_comment(
            post, current_user, sent["body"], quote=sent["quote"], parent_id=sent["parent_id"]
        )
    except AppError as error:
        return answer(post, error, sent)
    return answer(post)


@bp.post("/comments/<comment_id>/edit")
def edit_comment(comment_id: str):
    comment = comment_service.get_comment_or_404(comment_id, current_user, Permission.COMMENT)
    return change(comment, body=request.form.get("body") or "")


@bp.post("/comments/<comment_id>/resolve")
def resolve_comment(comment_id: str):
    comment = comment_service.get_comment_or_404(comment_id, current_user, Permission.COMMENT)
    return change(comment, resolved=request.form.get("resolved") != "0")


@bp.post("/comments/<comment_id>/delete")
def delete_comment(comment_id: str):
    comment = comment_service.get_comment_or_404(comment_id, current_user, Permission.EDIT)
    post = post_service.get_post_or_404(comment.post_id, current_user)
    comment_service.delete_comment(comment)
    return answer(post)


def change(comment, **changes):
    post = post_service.get_post_or_404(comment.post_id, current_user)
    try:
        comment_service.update_comment(comment, current_user, **changes)
    except AppError as error:
        return answer(post, error)
    return answer(post)


def answer(post, error: AppError | None = None, sent: dict | None = None):
    """The panel for htmx (a refusal shown in it); otherwise back to the post."""
    if request.headers.get("HX-Request"):
        return page_or_fragment(
            "posts/_comments.html",
            "posts/_comments.html",
            post=post,
            project=post.project,
            **panel(post, current_user, error, sent),
        )
    if error is not None:
        flash(error.message, "error")
    return redirect(url_for("posts.show", post_id=post.id) + "#comments", code=303)
