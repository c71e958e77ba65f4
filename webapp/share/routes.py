"""The share page and guests' comments. No sign-in: the token in the path is the key.

Every answer of this blueprint, found or not, keeps the page out of search engines and
sends no Referer (the token is in the URL). An unknown, expired or revoked token, or a
post no longer cleared to leave Copydesk, is a bare 404 that tells nothing.
"""

from __future__ import annotations

from flask import jsonify, redirect, render_template, request, url_for

from ..error_codes import ErrorCode
from ..errors import (
    AppError,
    NotFound,
    ValidationFailed,
    handle_http_exception,
    seconds_until_limit_reset,
)
from ..extensions import csrf, limiter
from ..services import channel_text
from ..services import footnotes as footnote_service
from ..services.review import sharing
from ..timeutil import iso_utc
from . import bp

GUEST_COMMENT_LIMIT = "5/minute"


@bp.after_request
def private_headers(response):
    """Set before the app's security headers, which keep a header a view set."""
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(429)
def too_many_comments(error):
    """A JSON client hears of the limit in JSON; the page's form gets the usual page."""
    if not request.is_json:
        return handle_http_exception(error)
    retry_after = seconds_until_limit_reset()
    response = json_error(
        AppError(
            f"Too many comments. Try again in {retry_after} seconds.",
            code=ErrorCode.RATE_LIMIT_EXCEEDED,
            retry_after=retry_after,
        )
    )
    response.headers["Retry-After"] = str(retry_after)
    return response


@bp.get("/share/<token>")
def show(token: str):
    try:
        link = sharing.open_link(token)
    except NotFound:
        return not_found()
    return render_page(link, token)


@bp.post("/share/<token>/comments")
@limiter.limit(GUEST_COMMENT_LIMIT)
@csrf.exempt
def comment(token: str):
    """A guest's comment: JSON `{"name", "body", "quote"?}` from an API client (no
    session, so no CSRF token), or the page's form (CSRF-checked)."""
    as_json = request.is_json
    if not as_json:
        csrf.protect()
    try:
        link = sharing.open_link(token)
    except NotFound:
        return json_error(NotFound("Not found.")) if as_json else not_found()
    fields = guest_fields(as_json)
    try:
        if fields is None:
            raise ValidationFailed('Send a JSON object {"name", "body", "quote"?} of strings.')
        made = sharing.add_guest_comment(link, fields["name"], fields["body"], fields["quote"])
    except AppError as error:
        if as_json:
            return json_error(error)
        if isinstance(error, NotFound):
            return not_found()
        return render_page(link, token, error=error, sent=fields or {}), error.status
    if as_json:
        return jsonify(comment_json(made)), 201
    return redirect(url_for("share.show", token=token) + "#guest-comments", code=303)


def guest_fields(as_json: bool) -> dict | None:
    data = request.get_json(silent=True) if as_json else request.form.to_dict()
    if not isinstance(data, dict):
        return None
    fields = {key: data.get(key) for key in ("name", "body", "quote")}
    if not all(value is None or isinstance(value, str) for value in fields.values()):
        return None
    return fields


def render_page(link, token: str, error: AppError | None = None, sent: dict | None = None):
    post = link.post
    footnotes = footnote_service.footnotes_of(post)
    body, referenced = footnote_service.cited_html((post.content or {}).get("markdown"), footnotes)
    return render_template(
        "share/show.html",
        post=post,
        content=post.content or {},
        plain_channel=channel_text.is_plain(post.channel),
        body=body,
        footnotes=footnotes,
        referenced=referenced,
        link=link,
        token=token,
        comments=sharing.guest_comments(link) if link.allow_comments else [],
        error=error,
        sent=sent or {},
    )


def not_found():
    return render_template("share/not_found.html"), 404


def json_error(error: AppError):
    response = jsonify({"detail": error.to_detail()})
    response.status_code = error.status
    return response


def comment_json(comment) -> dict:
    """A guest's comment as the API shows comments."""
    return {
        "id": comment.id,
        "post_id": comment.post_id,
        "parent_id": comment.parent_id,
        "author": None,
        "guest_name": comment.guest_name,
        "body": comment.body,
        "quote": comment.quote,
        "resolved": comment.resolved,
        "outdated": comment.outdated,
        "created_at": iso_utc(comment.created_at),
        "updated_at": iso_utc(comment.updated_at),
    }
