"""/workspaces/<id>/usage: a workspace's last 30 days (UTC): posts per day as a chart drawn
on the server, tokens and cost per model, and for the owner the same per member; the
posts left on the owner's plan this month and when it resets. /usage opens the current
workspace's."""

from __future__ import annotations

from flask import redirect, url_for
from flask_login import current_user, login_required

from ..rendering import page_or_fragment
from ..services import quota as quota_service
from ..services import usage
from ..services.access import Permission
from ..services.workspaces import get_workspace_or_404
from ..workspaces.current import current_workspace
from . import bp


@bp.before_request
@login_required
def require_login():
    """The usage pages need a signed-in user."""


@bp.get("/usage")
def current():
    return redirect(url_for("usage.index", workspace_id=current_workspace().id))


@bp.get("/workspaces/<workspace_id>/usage")
def index(workspace_id: str):
    workspace = get_workspace_or_404(workspace_id, current_user, Permission.READ)
    span = usage.window()
    days = usage.posts_per_day(workspace, span)
    is_owner = workspace.owner_id == current_user.id
    return page_or_fragment(
        "usage/index.html",
        "usage/_report.html",
        workspace=workspace,
        span=span,
        days=days,
        chart=usage.bar_chart([(d.day, d.posts) for d in days]),
        models=usage.usage_per_model(workspace, span),
        members=usage.usage_per_member(workspace, span) if is_owner else None,
        quota=quota_service.standing_of_holder(workspace.owner),
        is_owner=is_owner,
    )
