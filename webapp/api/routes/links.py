"""The Internal Links endpoints of the reference API."""

from __future__ import annotations

from ...errors import ErrorCode
from ...services import links as link_service
from ...services.access import Permission
from ...services.projects import get_project_or_404
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.common import PageQuery
from ..schemas.links import LinkCreate, LinkList, LinkOut

PROJECT_LINKS = "/links/projects/<project_id>/opportunities"


@bp.post(PROJECT_LINKS)
@endpoint(
    "Add a link opportunity to a project",
    tag="Internal Links",
    body=LinkCreate,
    response=LinkOut,
    status=201,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.PROJECT_NOT_FOUND,
    ),
)
def create_link(project_id: str, body: LinkCreate):
    user = current_principal().user
    return link_service.create_link(
        user,
        get_project_or_404(project_id, user, Permission.EDIT),
        body.target_url,
        body.keywords,
        body.anchor_text,
    )


@bp.get(PROJECT_LINKS)
@endpoint(
    "List a project's link opportunities, newest first",
    tag="Internal Links",
    query=PageQuery,
    response=LinkList,
    errors=(ErrorCode.PROJECT_NOT_FOUND,),
)
def list_links(project_id: str, query: PageQuery):
    project = get_project_or_404(project_id, current_principal().user)
    links, total = link_service.list_links(project, query.limit, query.offset)
    return {"opportunities": links, "total": total}


@bp.delete("/links/opportunities/<opportunity_id>")
@endpoint(
    "Remove a link opportunity (posts already written keep their links)",
    tag="Internal Links",
    status=204,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.LINK_NOT_FOUND,
    ),
)
def delete_link(opportunity_id: str):
    link_service.delete_link(
        link_service.get_link_or_404(opportunity_id, current_principal().user, need=Permission.EDIT)
    )
