"""Workspaces and their members."""

from __future__ import annotations

from pydantic import Field

from ...vocabulary import Role
from .auth import Quota
from .common import PageQuery, RequestModel, ResponseModel, UtcDatetime, one_of, text, trimmed
from .invitations import InvitableRole

WorkspaceName = trimmed(1, 100)


class WorkspaceCreate(RequestModel):
    name: WorkspaceName


class WorkspaceUpdate(RequestModel):
    name: WorkspaceName


class WorkspaceTransfer(RequestModel):
    user_id: text(1, 24) = Field(description="A member of the workspace: the new owner.")


class WorkspaceOut(ResponseModel):
    id: str
    name: str
    role: one_of(Role) = Field(description="The caller's role in the workspace.")
    owner_id: str
    personal: bool
    quota: Quota = Field(description="The owner's plan, which the workspace runs on.")
    created_at: UtcDatetime


class WorkspaceList(ResponseModel):
    workspaces: list[WorkspaceOut]
    total: int


class WorkspaceListQuery(PageQuery):
    pass


class MemberUpdate(RequestModel):
    role: InvitableRole = Field(
        description="admin, editor, reviewer or viewer: ownership moves only by transfer."
    )


class MemberOut(ResponseModel):
    user_id: str
    email: str
    name: str
    role: one_of(Role)
    joined_at: UtcDatetime


class MemberList(ResponseModel):
    members: list[MemberOut]
    total: int


class MemberListQuery(PageQuery):
    pass
