"""Workspaces: made, listed, fetched under membership, renamed and deleted.

Every account has a personal workspace, made with it; it cannot be deleted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import joinedload

from ...errors import AppError, ErrorCode, ValidationFailed, field_error
from ...extensions import db
from ...models import Membership, Project, Usage, User, Workspace
from ...vocabulary import Activity, Role
from .. import activity, plans
from ..access import Permission, get_owned_or_404, require, role_in
from ..paging import Page, newest_first
from .locking import NOT_FOUND, workspace_locked

PERSONAL_NAME = "Personal"
NAME_MAX = 100


class PersonalWorkspace(AppError):
    code = ErrorCode.PERSONAL_WORKSPACE
    message = "A personal workspace cannot be deleted."


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
    """A page of (workspace, the user's role in it), newest first, and the total; the
    owners come with them (one query), for their plans."""
    query = (
        db.select(Workspace, Membership.role)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(Membership.user_id == user.id)
    )
    total = db.session.execute(
        db.select(db.func.count()).select_from(query.subquery())
    ).scalar_one()
    rows = db.session.execute(
        query.options(joinedload(Workspace.owner))
        .order_by(*newest_first(Workspace))
        .limit(limit)
        .offset(offset)
    ).all()
    return Page([(workspace, role) for workspace, role in rows], total)


def workspace_for_new_project(user: User, workspace_id: str | None) -> Workspace:
    """Where a project `user` creates goes: the workspace named (they must be able to
    edit there) or their personal one."""
    if workspace_id is None:
        return personal_workspace_of(user)
    return get_workspace_or_404(workspace_id, user, Permission.EDIT)


def quotas_of(workspaces: list[Workspace]) -> dict[str, dict]:
    """{owner id: the quota block of the owner's plan} for these workspaces (whose owners
    are loaded): what `plans.quota_for(owner)` answers, in one query for all of them."""
    owners = {workspace.owner_id: workspace.owner for workspace in workspaces}
    if not owners:
        return {}
    used = dict(
        db.session.execute(
            db.select(Usage.user_id, Usage.posts_used).where(
                Usage.user_id.in_(list(owners)),
                Usage.period_start == plans.current_period_start(),
            )
        ).all()
    )
    reset = plans.next_period_start()
    return {
        owner_id: {
            "posts_used": used.get(owner_id) or 0,
            "posts_limit": plans.plan_for(owner).posts_limit,
            "reset_date": datetime(reset.year, reset.month, reset.day),
        }
        for owner_id, owner in owners.items()
    }


def clean_name(name: str | None) -> str:
    """A workspace name stripped, 1-100 characters, or VALIDATION_ERROR on `name`."""
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise ValidationFailed(
            f"name: give the workspace a name of 1 to {NAME_MAX} characters.",
            errors=[
                field_error("name", f"Give the workspace a name of 1 to {NAME_MAX} characters.")
            ],
        )
    return name


def create_workspace(user: User, name: str) -> Workspace:
    """A new (shared) workspace owned by `user`; recorded as `workspace.created`."""
    workspace = add_workspace(user, clean_name(name))
    db.session.flush()
    activity.record(
        workspace.id,
        user,
        Activity.WORKSPACE_CREATED,
        "workspace",
        workspace.id,
        f"{user.name} created workspace {workspace.name}",
    )
    db.session.commit()
    return workspace


def rename_workspace(workspace: Workspace, actor: User, name: str) -> Workspace:
    """Rename: for admins and the owner."""
    require(role_in(workspace.id, actor), Permission.MANAGE)
    workspace.name = clean_name(name)
    db.session.commit()
    return workspace


def delete_workspace(workspace: Workspace, actor: User) -> None:
    """Delete a workspace the actor owns, with its projects (as deleting each project
    does: their stored files go too), in one transaction under the workspace's lock (a
    transfer cannot slip in). A personal workspace cannot be deleted."""
    from ..projects import remove_project  # projects builds on this module

    with workspace_locked(workspace.id) as locked:
        require(role_in(locked.id, actor), Permission.OWN)
        if locked.personal:
            raise PersonalWorkspace()
        projects = db.session.execute(
            db.select(Project).where(Project.workspace_id == locked.id)
        ).scalars()
        removals = [remove_project(project) for project in projects.all()]
        db.session.delete(locked)
    for removal in removals:
        removal.after_commit()
