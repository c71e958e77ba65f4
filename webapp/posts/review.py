"""Review steps on a post's page: submit, approve, request changes.

Plain forms (CSRF) that work without JavaScript: each posts, flashes what happened and
goes back to the post."""

from __future__ import annotations

from flask import flash
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Optional

from ..access_ui import can
from ..errors import AppError
from ..extensions import db
from ..forms import VersionField, at_most
from ..models import User
from ..rendering import htmx_redirect
from ..services import posts as post_service
from ..services.review import approval
from ..timeutil import time_ago
from ..vocabulary import ReviewAction, ReviewStatus
from . import bp

STATUS_LABELS = {
    ReviewStatus.DRAFT: "Draft",
    ReviewStatus.IN_REVIEW: "In review",
    ReviewStatus.CHANGES_REQUESTED: "Changes requested",
    ReviewStatus.APPROVED: "Approved",
    ReviewStatus.PUBLISHED: "Published",
}
# The existing badge colours: grey, blue, red, green.
STATUS_CLASSES = {
    ReviewStatus.DRAFT: "status-cancelled",
    ReviewStatus.IN_REVIEW: "status-processing",
    ReviewStatus.CHANGES_REQUESTED: "status-failed",
    ReviewStatus.APPROVED: "status-completed",
    ReviewStatus.PUBLISHED: "status-completed",
}
DONE_MESSAGES = {
    ReviewAction.SUBMIT: "Submitted for review: the reviewers were told.",
    ReviewAction.APPROVE: "Approved version {version}.",
    ReviewAction.REQUEST_CHANGES: "Changes requested: the author was told.",
}
EXPIRED = "The form expired; reload the page and try again."


class ReviewForm(FlaskForm):
    """Submit or approve: the version the member saw (approve refuses a newer text)."""

    item_version = VersionField(validators=[Optional()])


class RequestChangesForm(FlaskForm):
    comment = TextAreaField(
        "What should change?",
        validators=[
            DataRequired("Say what should change."),
            at_most(approval.COMMENT_MAX, "A comment"),
        ],
    )


def panel(post, user) -> dict:
    """What templates/posts/show.html needs from this feature: the review status, the
    last approval, and the steps the member's role and the post's state allow."""
    return {
        "review_label": STATUS_LABELS.get(post.review_status, post.review_status),
        "review_class": STATUS_CLASSES.get(post.review_status, "status-cancelled"),
        "review_actions": [a.value for a in approval.allowed_actions(post) if _may(post, a)],
        "approval_record": approval_record(post),
    }


def _may(post, action: ReviewAction) -> bool:
    return can(post, approval.PERMISSIONS[action])


def approval_record(post) -> dict | None:
    """The last approval: its version, who, when, and whether the text changed since."""
    if post.approved_version is None or post.approved_at is None:
        return None
    approver = db.session.get(User, post.approved_by) if post.approved_by else None
    return {
        "version": post.approved_version,
        "by": approver.name if approver is not None else "a former member",
        "at": post.approved_at,
        "ago": time_ago(post.approved_at),
        "is_current": post.approved_version == post.item_version,
    }


@bp.post("/posts/<post_id>/submit")
def submit(post_id: str):
    post = post_service.get_post_or_404(
        post_id, current_user, approval.PERMISSIONS[ReviewAction.SUBMIT]
    )
    if ReviewForm().validate_on_submit():
        _act(post, ReviewAction.SUBMIT, lambda: approval.submit(post, current_user))
    else:
        flash(EXPIRED, "error")
    return htmx_redirect("posts.show", post_id=post.id)


@bp.post("/posts/<post_id>/approve")
def approve(post_id: str):
    post = post_service.get_post_or_404(
        post_id, current_user, approval.PERMISSIONS[ReviewAction.APPROVE]
    )
    form = ReviewForm()
    if form.validate_on_submit():
        version = form.item_version.data
        _act(post, ReviewAction.APPROVE, lambda: approval.approve(post, current_user, version))
    else:
        flash(EXPIRED, "error")
    return htmx_redirect("posts.show", post_id=post.id)


@bp.post("/posts/<post_id>/request-changes")
def request_changes(post_id: str):
    post = post_service.get_post_or_404(
        post_id, current_user, approval.PERMISSIONS[ReviewAction.REQUEST_CHANGES]
    )
    form = RequestChangesForm()
    if form.validate_on_submit():
        comment = form.comment.data
        _act(
            post,
            ReviewAction.REQUEST_CHANGES,
            lambda: approval.request_changes(post, current_user, comment),
        )
    else:
        for errors in form.errors.values():
            flash(errors[0], "error")
    return htmx_redirect("posts.show", post_id=post.id)


def _act(post, action: ReviewAction, step) -> None:
    """Take the step; flash what happened, or why it was refused."""
    try:
        step()
    except AppError as error:
        flash(error.message, "error")
        return
    flash(DONE_MESSAGES[action].format(version=post.approved_version), "success")
