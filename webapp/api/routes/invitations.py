"""Workspace invitations: invite, list pending, resend, revoke, accept."""

from __future__ import annotations

from werkzeug.routing import BaseConverter

from ...errors import ErrorCode
from ...extensions import limiter
from ...services import invitations as invitation_service
from ...services.access import Permission
from ...services.workspaces import get_workspace_or_404
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal, rate_limit_key
from ..schemas.common import Message
from ..schemas.invitations import (
    AcceptedInvitation,
    InvitationAccept,
    InvitationCreate,
    InvitationList,
    InvitationListQuery,
    InvitationOut,
)

TAG = "Invitations"
MAIL_LIMIT = invitation_service.MAIL_RATE_LIMIT
MAIL_SCOPE = invitation_service.MAIL_RATE_SCOPE


class InvitationIdConverter(BaseConverter):
    """Any path segment but `accept`, so that /invitations/accept (POST only) does not
    also advertise the DELETE of /invitations/<invitation_id> in its Allow header."""

    regex = r"(?!accept$)[^/]+"


@bp.post("/workspaces/<workspace_id>/invitations")
@limiter.shared_limit(MAIL_LIMIT, scope=MAIL_SCOPE, key_func=rate_limit_key)
@endpoint(
    "Invite an email address into the workspace with a role (admins and the owner)",
    tag=TAG,
    body=InvitationCreate,
    response=InvitationOut,
    status=201,
    errors=(
        ErrorCode.WORKSPACE_NOT_FOUND,
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.EMAIL_NOT_VERIFIED,
        ErrorCode.ALREADY_MEMBER,
        ErrorCode.INVITATION_LIMIT_REACHED,
    ),
    description="The worker mails the address a single-use link, valid for 7 days. A "
    "pending invitation for the same address is refreshed (new role, link and expiry), "
    "not duplicated. At most 50 invitations may be pending in a workspace. Invitations "
    "and resends are limited to 50 an hour per user.",
)
def create_invitation(workspace_id: str, body: InvitationCreate):
    user = current_principal().user
    workspace = get_workspace_or_404(workspace_id, user, Permission.MANAGE)
    return invitation_service.invite(workspace, user, body.email, body.role)


@bp.get("/workspaces/<workspace_id>/invitations")
@endpoint(
    "List the workspace's pending invitations, newest first (admins and the owner)",
    tag=TAG,
    query=InvitationListQuery,
    response=InvitationList,
    errors=(ErrorCode.WORKSPACE_NOT_FOUND, ErrorCode.INSUFFICIENT_ROLE),
)
def list_invitations(workspace_id: str, query: InvitationListQuery):
    workspace = get_workspace_or_404(workspace_id, current_principal().user, Permission.MANAGE)
    items, total = invitation_service.list_pending(workspace, query.limit, query.offset)
    return {"invitations": items, "total": total}


@bp.post("/invitations/<invitation_id:invitation_id>/resend")
@limiter.shared_limit(MAIL_LIMIT, scope=MAIL_SCOPE, key_func=rate_limit_key)
@endpoint(
    "Mail the invitation again with a new link and a new 7-day expiry",
    tag=TAG,
    response=Message,
    status=202,
    errors=(
        ErrorCode.INVITATION_NOT_FOUND,
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.EMAIL_NOT_VERIFIED,
        ErrorCode.INVITATION_EXPIRED,
    ),
    description="The previous link stops working. INVITATION_EXPIRED (410) for an "
    "invitation accepted or revoked already.",
)
def resend_invitation(invitation_id: str):
    user = current_principal().user
    invitation = invitation_service.get_invitation_or_404(invitation_id, user)
    invitation_service.resend(invitation, user)
    return {"message": f"We are emailing {invitation.email} a new invitation link."}


@bp.delete("/invitations/<invitation_id:invitation_id>")
@endpoint(
    "Revoke an invitation: its link stops working",
    tag=TAG,
    status=204,
    errors=(
        ErrorCode.INVITATION_NOT_FOUND,
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.INVITATION_EXPIRED,
    ),
    description="INVITATION_EXPIRED (410) for an invitation accepted already.",
)
def revoke_invitation(invitation_id: str):
    invitation_service.revoke(
        invitation_service.get_invitation_or_404(invitation_id, current_principal().user)
    )


@bp.post("/invitations/accept")
@endpoint(
    "Accept an invitation with the token of its link: join the workspace",
    tag=TAG,
    body=InvitationAccept,
    response=AcceptedInvitation,
    errors=(ErrorCode.INVITATION_EMAIL_MISMATCH, ErrorCode.INVITATION_EXPIRED),
    description="The caller's email must be the invited address (else 403 "
    "INVITATION_EMAIL_MISMATCH); accepting marks it verified. A used, revoked, expired "
    "or unknown token is 410 INVITATION_EXPIRED: each link works once.",
)
def accept_invitation(body: InvitationAccept):
    membership = invitation_service.accept(body.token, current_principal().user)
    return {"workspace_id": membership.workspace_id, "role": membership.role}
