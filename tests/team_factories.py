"""Workspaces shared by several people, made directly through the models (the members
API is built beside these tests), for the activity and account deletion tests."""

from __future__ import annotations

from types import SimpleNamespace

from webapp.extensions import db
from webapp.models import Membership
from webapp.services import accounts, projects, workspaces
from webapp.vocabulary import Role


def make_team(app, owner, name="Team", **members) -> SimpleNamespace:
    """A workspace owned by `owner` with `members` ({role: user or [users]}), as ids."""
    with app.app_context():
        workspace = workspaces.add_workspace(accounts.get_user(owner.id), name)
        for role, people in members.items():
            for person in people if isinstance(people, list) else [people]:
                workspace.memberships.append(Membership(user_id=person.id, role=Role(role)))
        db.session.commit()
        return SimpleNamespace(id=workspace.id, name=workspace.name, owner_id=owner.id)


def make_team_project(app, user, team, name="Launch") -> SimpleNamespace:
    """A project `user` creates in the workspace `team` (recorded as they would)."""
    with app.app_context():
        project = projects.create_project(accounts.get_user(user.id), name, workspace_id=team.id)
        return SimpleNamespace(id=project.id, name=project.name, workspace_id=team.id)
