"""Deleting an account, and what becomes of what it made.

A person who owns a workspace that others share must first hand it on (transfer its
ownership): TRANSFER_OWNERSHIP_FIRST (409). Otherwise their own workspaces (the personal
one, and any they alone belong to) go with the account, projects and stored files
included; what they made in other people's workspaces stays there, credited from then on
to each workspace's owner, and the feed keeps their events without an actor.
"""

from __future__ import annotations

from ..errors import Conflict, ErrorCode, ValidationFailed, field_error
from ..extensions import db
from ..models import Job, LinkOpportunity, Membership, Post, Project, Source, User, Workspace
from . import projects
from .accounts import ensure_current_password

# What carries its creator's `user_id` inside a project (the FKs cascade on user deletion).
PROJECT_CONTENT = (Source, Post, LinkOpportunity, Job)


class TransferOwnershipFirst(Conflict):
    code = ErrorCode.TRANSFER_OWNERSHIP_FIRST
    message = (
        "You own workspaces that other people share: transfer their ownership to another "
        "member (or remove the members) before deleting your account."
    )


def shared_workspaces_owned_by(user: User) -> list[Workspace]:
    """The workspaces `user` owns that have other members, by name."""
    others = db.select(Membership.id).where(
        Membership.workspace_id == Workspace.id, Membership.user_id != user.id
    )
    return list(
        db.session.execute(
            db.select(Workspace)
            .where(Workspace.owner_id == user.id, others.exists())
            .order_by(Workspace.name, Workspace.id)
        ).scalars()
    )


def ensure_deletable(user: User) -> None:
    """TRANSFER_OWNERSHIP_FIRST (409, naming the workspaces) while `user` owns a
    workspace with other members."""
    shared = shared_workspaces_owned_by(user)
    if shared:
        raise TransferOwnershipFirst(workspaces=[{"id": w.id, "name": w.name} for w in shared])


def delete_account(user: User, password: str) -> None:
    """Delete `user`'s account after checking their password (INVALID_CREDENTIALS, 400,
    on the `password` field; RATE_LIMIT_EXCEEDED after repeated wrong ones).

    In one transaction: their workspaces go, each project as `projects.delete_project`
    does (stored files removed once committed); their content in other workspaces is
    reassigned to each workspace's owner; then the account row goes, and with it (by
    cascade) every session, refresh token, API key and membership: access tokens name a
    user that no longer exists."""
    check_password(user, password)
    ensure_deletable(user)
    doomed = db.session.execute(
        db.select(Project).where(Project.workspace_id.in_(_owned_ids(user)))
    ).scalars()
    removals = [projects.remove_project(project, user) for project in doomed.all()]
    reassign_content(user)
    user_id = user.id
    db.session.expunge(user)  # its loaded relationships must not cascade in the ORM
    db.session.execute(db.delete(User).where(User.id == user_id))
    db.session.commit()  # one transaction: all of it, or nothing
    for removal in removals:
        removal.after_commit()


def check_password(user: User, password: str) -> None:
    """`accounts.ensure_current_password`, its error on the `password` field."""
    try:
        ensure_current_password(user, password)
    except ValidationFailed as error:
        error.errors = [field_error("password", error.message)]
        raise


def reassign_content(user: User) -> None:
    """Credit to each workspace's owner the projects, sources, posts, links and jobs
    `user` made in workspaces they do not own (not committed)."""
    owner_of_project = (
        db.select(Workspace.owner_id).where(Workspace.id == Project.workspace_id).scalar_subquery()
    )
    db.session.execute(
        db.update(Project)
        .where(Project.user_id == user.id, Project.workspace_id.not_in(_owned_ids(user)))
        .values(user_id=owner_of_project)
        .execution_options(synchronize_session=False)
    )
    for model in PROJECT_CONTENT:
        owner = (
            db.select(Workspace.owner_id)
            .join(Project, Project.workspace_id == Workspace.id)
            .where(Project.id == model.project_id)
            .scalar_subquery()
        )
        db.session.execute(
            db.update(model)
            .where(
                model.user_id == user.id,
                model.project_id.in_(
                    db.select(Project.id).where(Project.workspace_id.not_in(_owned_ids(user)))
                ),
            )
            .values(user_id=owner)
            .execution_options(synchronize_session=False)
        )


def _owned_ids(user: User):
    return db.select(Workspace.id).where(Workspace.owner_id == user.id)
