"""Workspaces: made, listed and fetched under membership.

Every account has a personal workspace, made with it. Members, roles, transfer and
deletion build on these functions."""

from __future__ import annotations

from ..errors import ErrorCode
from ..extensions import db
from ..models import Membership, User, Workspace
from ..vocabulary import Role
from .access import Permission, get_owned_or_404
from .paging import Page, newest_first

PERSONAL_NAME = "Personal"
NOT_FOUND = {"code": ErrorCode.WORKSPACE_NOT_FOUND, "message": "Workspace not found."}


def add_workspace(owner: User, name: str, *, personal: bool = False) -> Workspace:
    """A new workspace owned by `owner`, who is its member with role owner (added to the
    session, not committed: it is saved with whatever made it)."""
    workspace = Workspace(name=name.strip(), owner=owner, personal=personal)
    workspace.memberships.append(Membership(user=owner, role=Role.OWNER))
    db.session.add(workspace)
    return workspace


def add_personal_workspace(user: User) -> Workspace:
    """The workspace every account is made with (not committed)."""
    return add_workspace(user, PERSONAL_NAME, personal=True)


def personal_workspace_of(user: User) -> Workspace:
    """The user's personal workspace."""
    return db.session.execute(
        db.select(Workspace).where(Workspace.owner_id == user.id, Workspace.personal.is_(True))
    ).scalar_one()


def get_workspace_or_404(
    workspace_id: str, user: User, need: Permission = Permission.READ
) -> Workspace:
    """A workspace `user` belongs to, if their role allows `need`: WORKSPACE_NOT_FOUND
    (404) for anybody else's, INSUFFICIENT_ROLE (403) for too small a role."""
    return get_owned_or_404(Workspace, workspace_id, user, need=need, **NOT_FOUND)


def list_workspaces(user: User, limit: int = 100, offset: int = 0) -> Page[tuple[Workspace, str]]:
    """A page of (workspace, the user's role in it), newest first, and the total."""
    query = (
        db.select(Workspace, Membership.role)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(Membership.user_id == user.id)
    )
    total = db.session.execute(
        db.select(db.func.count()).select_from(query.subquery())
    ).scalar_one()
    rows = db.session.execute(
        query.order_by(*newest_first(Workspace)).limit(limit).offset(offset)
    ).all()
    return Page([(workspace, role) for workspace, role in rows], total)


def workspace_for_new_project(user: User, workspace_id: str | None) -> Workspace:
    """Where a project `user` creates goes: the workspace named (they must be able to
    edit there) or their personal one."""
    if workspace_id is None:
        return personal_workspace_of(user)
    return get_workspace_or_404(workspace_id, user, Permission.EDIT)
