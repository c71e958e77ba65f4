"""A post's share link: make (replacing the previous one), read, revoke."""

from __future__ import annotations

from ...errors import ErrorCode
from ...services import posts as post_service
from ...services.access import Permission
from ...services.review import sharing
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.comments import ShareCreate, ShareCreated, ShareOut

SHARE = "/posts/<post_id:post_id>/share"


@bp.post(SHARE)
@endpoint(
    "Make a share link to the post (revoking the previous one)",
    tag="Share links",
    body=ShareCreate,
    body_optional=True,
    response=ShareCreated,
    status=201,
    replay=False,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.POST_NOT_FOUND,
        ErrorCode.INVALID_STATE,
        ErrorCode.APPROVAL_REQUIRED,
    ),
    description="The token is shown only here (only its hash is kept). The page is "
    "read-only, not indexed, and expires after `expires_in_days` (1-90, default 14).",
)
def create_share_link(post_id: str, body: ShareCreate):
    user = current_principal().user
    post = post_service.get_post_or_404(post_id, user, Permission.EDIT)
    link, token = sharing.create_link(
        post, user, expires_in_days=body.expires_in_days, allow_comments=body.allow_comments
    )
    return {
        "url": sharing.url_of(token),
        "token": token,
        "expires_at": link.expires_at,
        "allow_comments": link.allow_comments,
    }


@bp.get(SHARE)
@endpoint(
    "Get the post's active share link (without its token)",
    tag="Share links",
    response=ShareOut,
    errors=(ErrorCode.POST_NOT_FOUND, ErrorCode.SHARE_LINK_NOT_FOUND),
)
def get_share_link(post_id: str):
    post = post_service.get_post_or_404(post_id, current_principal().user)
    return sharing.get_active_link_or_404(post)


@bp.delete(SHARE)
@endpoint(
    "Revoke the post's share link",
    tag="Share links",
    status=204,
    errors=(ErrorCode.INSUFFICIENT_ROLE, ErrorCode.POST_NOT_FOUND, ErrorCode.SHARE_LINK_NOT_FOUND),
)
def revoke_share_link(post_id: str):
    post = post_service.get_post_or_404(post_id, current_principal().user, Permission.EDIT)
    sharing.revoke(post)
