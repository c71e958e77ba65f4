"""GET /workspaces/{id}/activity: a workspace's activity feed."""

from __future__ import annotations

from ...errors import ErrorCode
from ...services import activity
from ...services.access import Permission
from ...services.workspaces import get_workspace_or_404
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.activity import ActivityList, ActivityQuery


@bp.get("/workspaces/<workspace_id>/activity")
@endpoint(
    "A workspace's activity: who did what and when, newest first",
    tag="Workspaces",
    query=ActivityQuery,
    response=ActivityList,
    errors=(ErrorCode.WORKSPACE_NOT_FOUND,),
    description="Any member may read it; `action` keeps the events of one action.",
)
def list_activity(workspace_id: str, query: ActivityQuery):
    workspace = get_workspace_or_404(workspace_id, current_principal().user, Permission.READ)
    events, total = activity.list_events(workspace, query.action, query.limit, query.offset)
    return {"events": events, "total": total}
