"""Workspaces for tests: made through the service, members added straight to the
Membership table (joining by invitation is tested with invitations)."""

from __future__ import annotations

from types import SimpleNamespace

from webapp.extensions import db
from webapp.models import Membership, Workspace
from webapp.services import accounts, workspaces


def make_workspace(app, owner, name="Team"):
    with app.app_context():
        workspace = workspaces.create_workspace(accounts.get_user(owner.id), name)
        return SimpleNamespace(id=workspace.id, name=workspace.name, owner_id=owner.id)


def personal_workspace(app, user):
    with app.app_context():
        workspace = workspaces.personal_workspace_of(accounts.get_user(user.id))
        return SimpleNamespace(id=workspace.id, name=workspace.name, owner_id=user.id)


def add_member(app, workspace, user, role):
    with app.app_context():
        db.session.add(Membership(workspace_id=workspace.id, user_id=user.id, role=role))
        db.session.commit()


def roles_of(app, workspace) -> dict[str, str]:
    """{user id: role} of the workspace's members, and its owner_id under key None."""
    with app.app_context():
        rows = db.session.execute(
            db.select(Membership.user_id, Membership.role).where(
                Membership.workspace_id == workspace.id
            )
        ).all()
        owner_id = db.session.get(Workspace, workspace.id).owner_id
        return {**{user_id: str(role) for user_id, role in rows}, None: owner_id}


def bearer(app, email):
    """Authorization headers for a user made by the factory, issued directly (many
    people in one test would hit the login endpoint's rate limit)."""
    from webapp.services import tokens

    from .factories import make_user

    user = make_user(app, email=email)
    with app.app_context():
        pair = tokens.issue_token_pair(accounts.get_user(user.id))
    return {"Authorization": f"Bearer {pair['access_token']}"}
