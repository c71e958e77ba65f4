"""A post's review steps: submit, approve, request changes."""

from __future__ import annotations

from ...errors import ErrorCode
from ...services import posts as post_service
from ...services.review import approval
from ...vocabulary import ReviewAction
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.posts import PostOut
from ..schemas.review import ApproveRequest, RequestChangesRequest, SubmitRequest

REVIEW_ERRORS = (ErrorCode.INSUFFICIENT_ROLE, ErrorCode.POST_NOT_FOUND, ErrorCode.INVALID_STATE)
STATE_TABLE = (
    "Review status moves: draft or changes_requested → submit → in_review (editor, admin, "
    "owner); in_review → approve → approved (reviewer, admin, owner); in_review or approved "
    "→ request changes → changes_requested (reviewer, admin, owner); any content change → "
    "draft. Any other step, or a post not completed, is 400 INVALID_STATE. Review steps "
    "never change item_version."
)


def fetched(post_id: str, action: ReviewAction):
    user = current_principal().user
    return post_service.get_post_or_404(post_id, user, approval.PERMISSIONS[action]), user


@bp.post("/posts/<post_id:post_id>/submit")
@endpoint(
    "Submit a post for review",
    tag="Review",
    body=SubmitRequest,
    body_optional=True,
    response=PostOut,
    errors=REVIEW_ERRORS,
    description=f"Mails the workspace's reviewers. {STATE_TABLE}",
)
def submit_post(post_id: str, body: SubmitRequest):
    post, user = fetched(post_id, ReviewAction.SUBMIT)
    return approval.submit(post, user)


@bp.put("/posts/<post_id:post_id>/approve")
@endpoint(
    "Approve a post in review, at its current version",
    tag="Review",
    body=ApproveRequest,
    body_optional=True,
    response=PostOut,
    errors=(*REVIEW_ERRORS, ErrorCode.VERSION_CONFLICT),
    description="Sets approved_version (the current item_version), approved_by and "
    "approved_at, which stay as the record of the last approval after later edits. "
    "item_version, when sent, must be current: else 409 VERSION_CONFLICT with "
    "detail.current_version (checked first). channels is kept for publishing. Mails the "
    f"post's author. {STATE_TABLE}",
)
def approve_post(post_id: str, body: ApproveRequest):
    post, user = fetched(post_id, ReviewAction.APPROVE)
    channels = [str(c) for c in body.channels] if body.channels is not None else None
    return approval.approve(post, user, item_version=body.item_version, channels=channels)


@bp.post("/posts/<post_id:post_id>/request-changes")
@endpoint(
    "Request changes to a post in review or approved",
    tag="Review",
    body=RequestChangesRequest,
    response=PostOut,
    errors=REVIEW_ERRORS,
    description="The comment is kept as the reviewer's comment on the post. Mails the "
    f"post's author. {STATE_TABLE}",
)
def request_changes(post_id: str, body: RequestChangesRequest):
    post, user = fetched(post_id, ReviewAction.REQUEST_CHANGES)
    return approval.request_changes(post, user, body.comment)
