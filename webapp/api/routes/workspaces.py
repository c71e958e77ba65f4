"""The Workspaces endpoints: workspaces, their members and ownership."""

from __future__ import annotations

from flask import jsonify

from ...errors import ErrorCode
from ...services import workspaces as workspace_service
from ...services.access import Permission, role_in
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.workspaces import (
    MemberList,
    MemberListQuery,
    MemberOut,
    MemberUpdate,
    WorkspaceCreate,
    WorkspaceList,
    WorkspaceListQuery,
    WorkspaceOut,
    WorkspaceTransfer,
    WorkspaceUpdate,
)

TAG = "Workspaces"
_FOUND = (ErrorCode.WORKSPACE_NOT_FOUND,)
_ROLE = (ErrorCode.WORKSPACE_NOT_FOUND, ErrorCode.INSUFFICIENT_ROLE)


def workspace_json(workspace, role: str, quota: dict | None = None) -> dict:
    """What `WorkspaceOut` answers: `role` is the caller's, the quota the owner's plan."""
    if quota is None:
        quota = workspace_service.quotas_of([workspace])[workspace.owner_id]
    return WorkspaceOut.model_validate(
        {
            "id": workspace.id,
            "name": workspace.name,
            "role": role,
            "owner_id": workspace.owner_id,
            "personal": workspace.personal,
            "quota": quota,
            "created_at": workspace.created_at,
        }
    ).model_dump(mode="json")


def member_json(membership) -> dict:
    return MemberOut.model_validate(
        {
            "user_id": membership.user_id,
            "email": membership.user.email,
            "name": membership.user.name,
            "role": membership.role,
            "joined_at": membership.created_at,
        }
    ).model_dump(mode="json")


def _caller_view(workspace) -> dict:
    user = current_principal().user
    return workspace_json(workspace, role_in(workspace.id, user))


@bp.get("/workspaces")
@endpoint(
    "List the workspaces the caller belongs to, newest first, with their role",
    tag=TAG,
    query=WorkspaceListQuery,
    response=WorkspaceList,
)
def list_workspaces(query: WorkspaceListQuery):
    rows, total = workspace_service.list_workspaces(
        current_principal().user, query.limit, query.offset
    )
    quotas = workspace_service.quotas_of([workspace for workspace, _ in rows])
    return jsonify(
        {
            "workspaces": [
                workspace_json(workspace, role, quotas[workspace.owner_id])
                for workspace, role in rows
            ],
            "total": total,
        }
    )


@bp.post("/workspaces")
@endpoint(
    "Create a workspace owned by the caller",
    tag=TAG,
    body=WorkspaceCreate,
    response=WorkspaceOut,
    status=201,
)
def create_workspace(body: WorkspaceCreate):
    workspace = workspace_service.create_workspace(current_principal().user, body.name)
    return workspace_json(workspace, "owner"), 201


@bp.get("/workspaces/<workspace_id>")
@endpoint("Get a workspace", tag=TAG, response=WorkspaceOut, errors=_FOUND)
def get_workspace(workspace_id: str):
    user = current_principal().user
    return _caller_view(workspace_service.get_workspace_or_404(workspace_id, user))


@bp.patch("/workspaces/<workspace_id>")
@endpoint(
    "Rename a workspace (admins and the owner)",
    tag=TAG,
    body=WorkspaceUpdate,
    response=WorkspaceOut,
    errors=_ROLE,
)
def update_workspace(workspace_id: str, body: WorkspaceUpdate):
    user = current_principal().user
    workspace = workspace_service.get_workspace_or_404(workspace_id, user, Permission.MANAGE)
    return _caller_view(workspace_service.rename_workspace(workspace, user, body.name))


@bp.delete("/workspaces/<workspace_id>")
@endpoint(
    "Delete a workspace and its projects (the owner; not the personal workspace)",
    tag=TAG,
    status=204,
    errors=(*_ROLE, ErrorCode.PERSONAL_WORKSPACE),
)
def delete_workspace(workspace_id: str):
    user = current_principal().user
    workspace = workspace_service.get_workspace_or_404(workspace_id, user, Permission.OWN)
    workspace_service.delete_workspace(workspace, user)


@bp.post("/workspaces/<workspace_id>/transfer")
@endpoint(
    "Transfer the ownership to another member (the owner; the old owner becomes admin)",
    tag=TAG,
    body=WorkspaceTransfer,
    response=WorkspaceOut,
    errors=(*_ROLE, ErrorCode.PERSONAL_WORKSPACE),
)
def transfer_workspace(workspace_id: str, body: WorkspaceTransfer):
    user = current_principal().user
    workspace = workspace_service.get_workspace_or_404(workspace_id, user, Permission.OWN)
    return _caller_view(workspace_service.transfer_ownership(workspace, user, body.user_id))


@bp.get("/workspaces/<workspace_id>/members")
@endpoint(
    "List a workspace's members, newest first",
    tag=TAG,
    query=MemberListQuery,
    response=MemberList,
    errors=_FOUND,
)
def list_members(workspace_id: str, query: MemberListQuery):
    user = current_principal().user
    workspace = workspace_service.get_workspace_or_404(workspace_id, user)
    members, total = workspace_service.list_members(workspace, query.limit, query.offset)
    return jsonify({"members": [member_json(m) for m in members], "total": total})


@bp.patch("/workspaces/<workspace_id>/members/<user_id>")
@endpoint(
    "Change a member's role (admins and the owner; the owner's only by transfer)",
    tag=TAG,
    body=MemberUpdate,
    response=MemberOut,
    errors=(*_ROLE, ErrorCode.MEMBER_NOT_FOUND, ErrorCode.LAST_OWNER),
)
def update_member(workspace_id: str, user_id: str, body: MemberUpdate):
    user = current_principal().user
    workspace = workspace_service.get_workspace_or_404(workspace_id, user, Permission.MANAGE)
    membership = workspace_service.change_role(workspace, user, user_id, body.role)
    return member_json(membership)


@bp.delete("/workspaces/<workspace_id>/members/<user_id>")
@endpoint(
    "Remove a member (admins and the owner), or leave (any member, themselves)",
    tag=TAG,
    status=204,
    errors=(*_ROLE, ErrorCode.MEMBER_NOT_FOUND, ErrorCode.LAST_OWNER),
)
def remove_member(workspace_id: str, user_id: str):
    user = current_principal().user
    workspace = workspace_service.get_workspace_or_404(workspace_id, user)
    workspace_service.remove_member(workspace, user, user_id)
