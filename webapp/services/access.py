"""Who may see and do what: the one membership rule, the role table, and fetching an
object under them.

Every service loads "the user's X" through these helpers, so the rule lives here once:
a project, and whatever carries its `project_id` (sources, posts, links, jobs) or a
post's `post_id` (comments, suggestions, share links), belongs to the project's
workspace, visible to the workspace's members; a person's own records (API keys) stay
theirs (`user_id`). What a member may *do* is their role's permissions
(`ROLE_PERMISSIONS`); a fetch names what the caller is about to do (`need`), and a role
without it is INSUFFICIENT_ROLE (403). A non-member learns nothing: 404, as for a
missing row.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from ..errors import ErrorCode, Forbidden, NotFound
from ..extensions import db
from ..models import Job, Membership, Post, Project, User, Workspace
from ..models.base import is_valid_id
from ..vocabulary import Role

M = TypeVar("M")


class Permission(StrEnum):
    READ = "read"  # see the workspace and everything in it
    COMMENT = "comment"  # discuss drafts (the review issue)
    REVIEW = "review"  # approve or request changes (the review issue)
    EDIT = "edit"  # projects, sources, links; generate, edit and delete posts
    MANAGE = "manage"  # members, invitations, brand voices
    OWN = "own"  # delete the workspace, transfer its ownership


_READER = frozenset({Permission.READ})
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.ADMIN: frozenset(Permission) - {Permission.OWN},
    Role.EDITOR: _READER | {Permission.COMMENT, Permission.EDIT},
    Role.REVIEWER: _READER | {Permission.COMMENT, Permission.REVIEW},
    Role.VIEWER: _READER,
}


class InsufficientRole(Forbidden):
    code = ErrorCode.INSUFFICIENT_ROLE
    message = "Your role in this workspace does not allow that."


def can(role: str | None, need: Permission) -> bool:
    """Whether a member with `role` may do what `need` names (None: not a member)."""
    return role is not None and need in ROLE_PERMISSIONS.get(Role(role), frozenset())


def require(role: str | None, need: Permission) -> None:
    """INSUFFICIENT_ROLE (403) unless `role` allows `need`."""
    if not can(role, need):
        raise InsufficientRole()


def member_workspace_ids(user: User):
    """A subquery: the ids of the workspaces `user` belongs to."""
    return db.select(Membership.workspace_id).where(Membership.user_id == user.id)


def member_project_ids(user: User):
    """A subquery: the ids of the projects in the workspaces `user` belongs to."""
    return db.select(Project.id).where(Project.workspace_id.in_(member_workspace_ids(user)))


def owned_by(model, user: User):
    """The where-clause selecting the rows of `model` that `user` may see."""
    if model is Workspace:
        return Workspace.id.in_(member_workspace_ids(user))
    if model is Project:
        return Project.workspace_id.in_(member_workspace_ids(user))
    if model is Job:  # a job outside any project is its starter's alone
        return db.or_(
            Job.project_id.in_(member_project_ids(user)),
            db.and_(Job.project_id.is_(None), Job.user_id == user.id),
        )
    if hasattr(model, "project_id"):
        return model.project_id.in_(member_project_ids(user))
    if hasattr(model, "post_id"):  # a post's comments, suggestions, share links
        return model.post_id.in_(
            db.select(Post.id).where(Post.project_id.in_(member_project_ids(user)))
        )
    return model.user_id == user.id


def owned(model, user: User):
    """`select(model)` limited to the rows `user` may see; add filters, then page it."""
    return db.select(model).where(owned_by(model, user))


def _with_role(model, user: User):
    """`select(model, <the user's role in its workspace>)`; no row where they have none."""
    is_member = Membership.user_id == user.id
    if model is Workspace:
        return db.select(Workspace, Membership.role).join(
            Membership, db.and_(Membership.workspace_id == Workspace.id, is_member)
        )
    if model is Project:
        return db.select(Project, Membership.role).join(
            Membership, db.and_(Membership.workspace_id == Project.workspace_id, is_member)
        )
    if model is Job:
        return (
            db.select(Job, db.func.coalesce(Membership.role, Role.OWNER.value))
            .outerjoin(Project, Project.id == Job.project_id)
            .outerjoin(
                Membership, db.and_(Membership.workspace_id == Project.workspace_id, is_member)
            )
            .where(owned_by(Job, user))
        )
    if hasattr(model, "project_id"):
        return (
            db.select(model, Membership.role)
            .join(Project, Project.id == model.project_id)
            .join(Membership, db.and_(Membership.workspace_id == Project.workspace_id, is_member))
        )
    if hasattr(model, "post_id"):
        return (
            db.select(model, Membership.role)
            .join(Post, Post.id == model.post_id)
            .join(Project, Project.id == Post.project_id)
            .join(Membership, db.and_(Membership.workspace_id == Project.workspace_id, is_member))
        )
    return db.select(model, db.literal(Role.OWNER.value)).where(model.user_id == user.id)


def get_owned_or_404(
    model: type[M],
    object_id: str,
    user: User,
    *criteria,
    need: Permission = Permission.READ,
    code: str = NotFound.code,
    message: str = NotFound.message,
) -> M:
    """The `model` row with this id if `user` may see it and it meets `criteria`, checked
    against what the caller is about to do (`need`).

    A malformed id, a missing row, a row outside the user's workspaces and one failing
    `criteria` all raise the same NotFound(`message`, `code`): a caller learns nothing
    about what exists beyond what it may see. A member whose role lacks `need` gets
    INSUFFICIENT_ROLE. The id is checked before any query; the row and the role come in
    one query.
    """
    found = None
    if is_valid_id(object_id):
        found = db.session.execute(
            _with_role(model, user).where(model.id == object_id, *criteria)
        ).one_or_none()
    if found is None:
        raise NotFound(message, code=code)
    row, role = found
    require(role, need)
    return row


def get_in_project_or_404(
    model: type[M],
    object_id: str,
    project: Project,
    user: User,
    *criteria,
    need: Permission = Permission.READ,
    code: str = NotFound.code,
    message: str = NotFound.message,
) -> M:
    """A row of `model` held by `project` (one the caller has already fetched for `user`),
    as `get_owned_or_404` answers: one of another project is not found either."""
    return get_owned_or_404(
        model,
        object_id,
        user,
        model.project_id == project.id,
        *criteria,
        need=need,
        code=code,
        message=message,
    )


def role_in(workspace_id: str, user: User) -> str | None:
    """`user`'s role in the workspace, or None when they are not a member."""
    return db.session.execute(
        db.select(Membership.role).where(
            Membership.workspace_id == workspace_id, Membership.user_id == user.id
        )
    ).scalar_one_or_none()
