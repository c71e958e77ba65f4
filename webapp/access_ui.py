"""Role-aware pages: the `can(obj, "edit")` template helper.

Pages offer only what the signed-in member's role allows: a viewer is not shown a button
that would answer 403. The rule itself stays in services.access (`can`); this module only
finds the caller's role in the workspace of what a template shows (a Workspace, a
Project, or anything with `project_id`: Source, Post, LinkOpportunity, Job), once per
request and workspace (kept on `flask.g`), so a list of rows costs no query per row.

    {% if can(project, "edit") %}<a href="...">Delete project</a>{% endif %}
"""

from __future__ import annotations

from flask import Flask, g
from flask_login import current_user

from .extensions import db
from .models import Project, Workspace
from .services import access
from .services.access import Permission
from .vocabulary import Role


def _workspace_id_of(obj) -> str | None:
    if isinstance(obj, Workspace):
        return obj.id
    if isinstance(obj, Project):
        return obj.workspace_id
    project_id = getattr(obj, "project_id", None)
    if project_id is None:
        return None
    project = db.session.get(Project, project_id)  # in the identity map on these pages
    return project.workspace_id if project is not None else None


def role_for(obj) -> str | None:
    """The signed-in user's role in the workspace of `obj`, or None (not a member, not
    signed in). A job outside any project is its starter's alone, as services.access
    says: the starter has every right on it."""
    if not current_user.is_authenticated or obj is None:
        return None
    workspace_id = _workspace_id_of(obj)
    if workspace_id is None:
        return Role.OWNER.value if getattr(obj, "user_id", None) == current_user.id else None
    roles = g.setdefault("workspace_roles", {})
    if workspace_id not in roles:
        roles[workspace_id] = access.role_in(workspace_id, current_user)
    return roles[workspace_id]


def can(obj, need: str | Permission) -> bool:
    """Whether the signed-in user may do `need` ("read", "edit", "manage", ...) to `obj`."""
    return access.can(role_for(obj), Permission(need))


def register_access_helpers(app: Flask) -> None:
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["role_for"] = role_for
