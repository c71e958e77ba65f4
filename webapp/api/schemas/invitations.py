"""Workspace invitations."""

from __future__ import annotations

from typing import Literal

from ...vocabulary import INVITABLE_ROLES
from .auth import Email
from .common import PageQuery, RequestModel, ResponseModel, UtcDatetime, text

InvitableRole = Literal[tuple(role.value for role in INVITABLE_ROLES)]


class InvitationCreate(RequestModel):
    # An address, as for sign-up (the service checks and normalises it again, for the page).
    email: Email
    role: InvitableRole


class InvitationOut(ResponseModel):
    id: str
    email: str
    role: str
    invited_by: str
    expires_at: UtcDatetime
    created_at: UtcDatetime


class InvitationList(ResponseModel):
    invitations: list[InvitationOut]
    total: int


class InvitationListQuery(PageQuery):
    pass


class InvitationAccept(RequestModel):
    token: text(1, 200)


class AcceptedInvitation(ResponseModel):
    workspace_id: str
    role: str
