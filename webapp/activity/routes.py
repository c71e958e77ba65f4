"""/workspaces/<id>/activity: who did what in a workspace and when, newest first, a page
at a time, filtered by action (a plain GET form; htmx swaps only the list)."""

from __future__ import annotations

from flask import request
from flask_login import current_user, login_required

from ..rendering import page_or_fragment
from ..services import activity
from ..services.access import Permission
from ..services.workspaces import get_workspace_or_404
from ..vocabulary import Activity
from . import bp

PER_PAGE = 25
ACTION_LABELS = {
    Activity.WORKSPACE_CREATED: "Workspace created",
    Activity.PROJECT_CREATED: "Project created",
    Activity.PROJECT_DELETED: "Project deleted",
    Activity.SOURCE_ADDED: "Source added",
    Activity.POST_GENERATED: "Post generated",
    Activity.POST_DELETED: "Post deleted",
    Activity.INVITATION_SENT: "Invitation sent",
    Activity.MEMBER_JOINED: "Member joined",
    Activity.MEMBER_ROLE_CHANGED: "Role changed",
    Activity.MEMBER_REMOVED: "Member removed",
    Activity.OWNERSHIP_TRANSFERRED: "Ownership transferred",
}


@bp.before_request
@login_required
def require_login():
    """The activity pages need a signed-in user."""


def chosen_action() -> Activity | None:
    """The `action` filter of the query string; anything not an action means all."""
    try:
        return Activity(request.args.get("action", ""))
    except ValueError:
        return None


@bp.get("/<workspace_id>/activity")
def index(workspace_id: str):
    workspace = get_workspace_or_404(workspace_id, current_user, Permission.READ)
    action = chosen_action()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    events, total = activity.list_events(
        workspace, action, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    return page_or_fragment(
        "activity/index.html",
        "activity/_events.html",
        workspace=workspace,
        events=events,
        total=total,
        action=action,
        page=page,
        has_older=page * PER_PAGE < total,
        labels={**{a: a.value for a in Activity}, **ACTION_LABELS},
    )
