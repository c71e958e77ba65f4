"""The share link on a post's page: make (or replace) it, revoke it, and show its URL
once, right after it is made (only its hash is kept)."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import current_user

from ..errors import AppError
from ..rendering import page_or_fragment
from ..services import posts as post_service
from ..services.access import Permission
from ..services.review import sharing as share_service
from . import bp

EXPIRY_CHOICES = (1, 7, 14, 30, 90)


def panel(post, user, url: str | None = None, error: AppError | None = None) -> dict:
    """The share panel's variables: the active link, and its URL just after making it."""
    return {
        "share_link": share_service.active_link(post),
        "share_url": url,
        "share_error": error,
        "share_expiry_choices": EXPIRY_CHOICES,
        "share_default_days": share_service.DEFAULT_DAYS,
    }


@bp.post("/posts/<post_id>/share")
def share(post_id: str):
    post = post_service.get_post_or_404(post_id, current_user, Permission.EDIT)
    days = request.form.get("expires_in_days", type=int) or share_service.DEFAULT_DAYS
    try:
        _, token = share_service.create_link(
            post,
            current_user,
            expires_in_days=days,
            allow_comments=bool(request.form.get("allow_comments")),
        )
    except AppError as error:
        return answer(post, error=error)
    return answer(post, url=share_service.url_of(token))


@bp.post("/posts/<post_id>/share/revoke")
def revoke_share(post_id: str):
    post = post_service.get_post_or_404(post_id, current_user, Permission.EDIT)
    if share_service.active_link(post) is not None:
        share_service.revoke(post)
    if request.headers.get("HX-Request"):
        return answer(post)
    return redirect(url_for("posts.show", post_id=post.id), code=303)


def answer(post, url: str | None = None, error: AppError | None = None):
    """The panel for htmx; a page of its own otherwise (the URL is shown only once, so
    it cannot wait behind a redirect)."""
    return page_or_fragment(
        "posts/share.html",
        "posts/_share.html",
        status=error.status if error and not request.headers.get("HX-Request") else 200,
        post=post,
        project=post.project,
        **panel(post, current_user, url, error),
    )
