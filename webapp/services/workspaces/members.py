"""A workspace's members: listed, their roles changed, removed (or leaving), and the
ownership transferred.

Every change holds the workspace's row lock for its whole transaction and re-reads the
roles under it, so changes made in parallel run one after the other and a workspace
always keeps exactly one owner: the member with role `owner`, who is `owner_id`."""

from __future__ import annotations

from sqlalchemy.orm import joinedload

from ...errors import AppError, ErrorCode, NotFound, ValidationFailed, field_error
from ...extensions import db
from ...models import Membership, User, Workspace
from ...vocabulary import INVITABLE_ROLES, Activity, Role
from .. import activity
from ..access import Permission, require
from ..paging import Page, newest_first, paginate
from .core import NOT_FOUND
from .locking import workspace_locked


class LastOwner(AppError):
    code = ErrorCode.LAST_OWNER
    message = "The owner cannot be demoted or removed; transfer ownership first."


class PersonalWorkspaceTransfer(AppError):
    code = ErrorCode.PERSONAL_WORKSPACE
    message = "A personal workspace stays with its owner; it cannot be transferred."


def member_not_found() -> NotFound:
    return NotFound("Member not found.", code=ErrorCode.MEMBER_NOT_FOUND)


def list_members(workspace: Workspace, limit: int = 100, offset: int = 0) -> Page[Membership]:
    """A page of the workspace's memberships (with their users), newest first."""
    query = (
        db.select(Membership)
        .where(Membership.workspace_id == workspace.id)
        .options(joinedload(Membership.user))
    )
    return paginate(query, order_by=newest_first(Membership), limit=limit, offset=offset)


def get_member_or_404(workspace: Workspace, user_id: str) -> Membership:
    membership = _membership(workspace.id, user_id)
    if membership is None:
        raise member_not_found()
    return membership


def change_role(workspace: Workspace, actor: User, user_id: str, role: str) -> Membership:
    """Give a member another role (admin, editor, reviewer or viewer): for admins and the
    owner. The owner's role changes only by transfer: LAST_OWNER."""
    if role not in INVITABLE_ROLES:
        raise ValidationFailed(
            "role: must be admin, editor, reviewer or viewer; ownership moves by transfer.",
            errors=[
                field_error(
                    "role",
                    "Must be admin, editor, reviewer or viewer; ownership moves by transfer.",
                )
            ],
        )
    with workspace_locked(workspace.id) as locked:
        _require_role(locked, actor, Permission.MANAGE)
        membership = _membership(locked.id, user_id)
        if membership is None:
            raise member_not_found()
        if membership.role == Role.OWNER or membership.user_id == locked.owner_id:
            raise LastOwner()
        if membership.role != role:
            membership.role = Role(role)
            activity.record(
                locked.id,
                actor,
                Activity.MEMBER_ROLE_CHANGED,
                "member",
                membership.user_id,
                f"{actor.name} made {membership.user.name} {role}",
            )
    return membership


def remove_member(workspace: Workspace, actor: User, user_id: str) -> None:
    """Remove a member (admins and the owner), or leave (any member, themselves). The
    owner can be neither removed nor leave: LAST_OWNER."""
    with workspace_locked(workspace.id) as locked:
        leaving = user_id == actor.id
        _require_role(locked, actor, Permission.READ if leaving else Permission.MANAGE)
        membership = _membership(locked.id, user_id)
        if membership is None:
            raise member_not_found()
        if membership.role == Role.OWNER or membership.user_id == locked.owner_id:
            raise LastOwner()
        name = membership.user.name
        db.session.delete(membership)
        summary = f"{name} left" if leaving else f"{actor.name} removed {name}"
        activity.record(locked.id, actor, Activity.MEMBER_REMOVED, "member", user_id, summary)


def transfer_ownership(workspace: Workspace, actor: User, user_id: str) -> Workspace:
    """Make another member the owner (the owner only): they get role owner and
    `owner_id`, the old owner becomes admin. Naming anybody but a member is a
    VALIDATION_ERROR on `user_id`; a personal workspace stays with its owner."""
    with workspace_locked(workspace.id) as locked:
        _require_role(locked, actor, Permission.OWN)
        if locked.personal:
            raise PersonalWorkspaceTransfer()
        target = _membership(locked.id, user_id) if isinstance(user_id, str) else None
        if target is None or target.user_id == actor.id:
            message = "Must be another member of the workspace."
            raise ValidationFailed(f"user_id: {message}", errors=[field_error("user_id", message)])
        current = _membership(locked.id, actor.id)
        current.role = Role.ADMIN
        target.role = Role.OWNER
        locked.owner_id = target.user_id
        activity.record(
            locked.id,
            actor,
            Activity.OWNERSHIP_TRANSFERRED,
            "member",
            target.user_id,
            f"{actor.name} transferred ownership to {target.user.name}",
        )
    return locked


def _require_role(workspace: Workspace, actor: User, need: Permission) -> str:
    """The actor's role, read under the lock: WORKSPACE_NOT_FOUND for a non-member,
    INSUFFICIENT_ROLE when it does not allow `need`."""
    membership = _membership(workspace.id, actor.id)
    if membership is None:
        raise NotFound(**NOT_FOUND)
    require(membership.role, need)
    return membership.role


def _membership(workspace_id: str, user_id: str) -> Membership | None:
    return db.session.execute(
        db.select(Membership)
        .where(Membership.workspace_id == workspace_id, Membership.user_id == user_id)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
