"""Factories: users and projects created through the services, returned as plain data."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

from webapp.extensions import db
from webapp.services import accounts, projects

DEFAULT_PASSWORD = "SecurePassword123!"
_counter = itertools.count(1)


def make_user(app, email=None, password=DEFAULT_PASSWORD, name="Test User", plan=None):
    with app.app_context():
        existing = accounts.find_user_by_email(email) if email else None
        user = existing or accounts.register_user(
            email or f"user{next(_counter)}@example.com", password, name
        )
        if plan:
            user.subscription_tier = plan
            db.session.commit()
        return SimpleNamespace(id=user.id, email=user.email, name=user.name, password=password)


def make_project(app, user, name="Project", description=None):
    with app.app_context():
        owner = accounts.get_user(user.id)
        project = projects.create_project(owner, name, description)
        return SimpleNamespace(id=project.id, name=project.name, user_id=owner.id)


def make_sources(app, user, project, count=1, file_size=1000):
    """`count` parsed text sources of `file_size` recorded bytes each, saved directly (no
    stored file, nothing to parse): for filling a plan's source and storage caps."""
    from webapp.models import Source

    with app.app_context():
        db.session.add_all(
            [
                Source(
                    project_id=project.id,
                    user_id=user.id,
                    filename=f"notes-{i}.txt",
                    file_type="txt",
                    file_size=file_size,
                    status="parsed",
                    parsed_text="Notes.",
                    word_count=1,
                )
                for i in range(count)
            ]
        )
        db.session.commit()


def make_workspace(app, owner, name="Team"):
    """A (non-personal) workspace owned by `owner`."""
    from webapp.services import workspaces

    with app.app_context():
        workspace = workspaces.add_workspace(accounts.get_user(owner.id), name)
        db.session.commit()
        return SimpleNamespace(id=workspace.id, name=workspace.name, owner_id=owner.id)


def add_member(app, workspace, user, role):
    """Make `user` a member of `workspace` with `role` (what accepting an invitation does)."""
    from webapp.models import Membership

    with app.app_context():
        db.session.add(Membership(workspace_id=workspace.id, user_id=user.id, role=role))
        db.session.commit()


def make_team_project(app, workspace, creator, name="Team project"):
    """A project in `workspace`, created by `creator` (an editor or more there)."""
    with app.app_context():
        project = projects.create_project(
            accounts.get_user(creator.id), name, workspace_id=workspace.id
        )
        return SimpleNamespace(id=project.id, name=project.name, user_id=creator.id)


def make_parsed_source(app, user, project, text, name="notes.md", details=None) -> str:
    """A source already parsed into `text` (no stored file), saved directly; its id."""
    from webapp.models import Source

    file_type = name.rsplit(".", 1)[-1]
    with app.app_context():
        source = Source(
            project_id=project.id,
            user_id=user.id,
            filename=name,
            file_type=file_type,
            file_size=len(text),
            status="parsed",
            parsed_text=text,
            word_count=len(text.split()),
            parse_details=details,
        )
        db.session.add(source)
        db.session.commit()
        return source.id


def make_completed_post(app, user, project, content, warnings=None, **fields) -> str:
    """A completed post holding `content` (the API's content object), saved directly; its
    id. `fields` override the post's other columns (topic, voice, channel...)."""
    from webapp.models import Post

    values = {"topic": "Async standups", "voice": "professional", "word_count": 40, **fields}
    with app.app_context():
        post = Post(
            project_id=project.id,
            user_id=user.id,
            status="completed",
            content=content,
            warnings=warnings or [],
            **values,
        )
        db.session.add(post)
        db.session.commit()
        return post.id
