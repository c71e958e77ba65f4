"""The current workspace of the pages: the one kept in the session
(`session["workspace_id"]`), or the personal workspace when none is kept or the user is
no longer a member of it. Templates get `current_workspace()`, `current_role()`,
`workspace_choices()` and `has_endpoint()`."""

from __future__ import annotations

import logging

from flask import current_app, g, session
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models import Membership, Workspace
from ..services import workspaces as workspace_service
from ..services.access import Permission
from . import bp

SESSION_KEY = "workspace_id"
log = logging.getLogger(__name__)


def current_workspace_and_role() -> tuple[Workspace, str] | None:
    """(the current workspace, the user's role in it); None when nobody is signed in."""
    if not current_user.is_authenticated:
        return None
    cached = g.get("_current_workspace")
    if cached is not None and cached[2] == current_user.id:
        return cached[0], cached[1]
    found = None
    workspace_id = session.get(SESSION_KEY)
    if isinstance(workspace_id, str):
        found = db.session.execute(
            db.select(Workspace, Membership.role)
            .join(Membership, Membership.workspace_id == Workspace.id)
            .where(Workspace.id == workspace_id, Membership.user_id == current_user.id)
        ).one_or_none()
    if found is None:
        personal = workspace_service.personal_workspace_of(current_user)
        found = (personal, "owner")
        if workspace_id is not None:
            session.pop(SESSION_KEY, None)
    g._current_workspace = (found[0], found[1], current_user.id)
    return found[0], found[1]


def current_workspace() -> Workspace | None:
    found = current_workspace_and_role()
    return found[0] if found else None


def header_workspace() -> Workspace | None:
    """The current workspace for the page header, which must never break a page: on an
    error page rendered after the database failed it is simply left out (None)."""
    try:
        return current_workspace()
    except SQLAlchemyError:
        log.warning("the header's workspace switcher is left out", exc_info=True)
        return None


def current_role() -> str | None:
    found = current_workspace_and_role()
    return found[1] if found else None


def switch_to(workspace: Workspace) -> None:
    session[SESSION_KEY] = workspace.id
    g.pop("_current_workspace", None)


def workspace_choices() -> list[tuple[Workspace, str]]:
    """The workspaces the signed-in user may switch to (newest first, up to 100)."""
    if not current_user.is_authenticated:
        return []
    if "_workspace_choices" not in g:
        try:
            g._workspace_choices = list(workspace_service.list_workspaces(current_user).items)
        except SQLAlchemyError:
            log.warning("the header's workspace switcher is left out", exc_info=True)
            return []
    return g._workspace_choices


def has_endpoint(name: str) -> bool:
    """Whether a page exists (another part, e.g. invitations, may not be there yet)."""
    return name in current_app.view_functions


@bp.app_context_processor
def workspace_helpers() -> dict:
    # No `can` here: the global `can(obj, need)` of access_ui serves every page (a
    # context variable of the same name would hide it and break the project pages).
    return {
        "current_workspace": current_workspace,
        "header_workspace": header_workspace,
        "current_role": current_role,
        "workspace_choices": workspace_choices,
        "has_endpoint": has_endpoint,
        "Permission": Permission,
    }
