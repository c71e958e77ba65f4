"""The Projects endpoints of the reference API."""

from __future__ import annotations

from flask import jsonify

from ...errors import ErrorCode
from ...services import projects as project_service
from ...services.access import Permission
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.projects import (
    ProjectCreate,
    ProjectList,
    ProjectListQuery,
    ProjectOut,
    ProjectUpdate,
)


@bp.post("/projects")
@endpoint(
    "Create a project (in the personal workspace unless `workspace_id` names another)",
    tag="Projects",
    body=ProjectCreate,
    response=ProjectOut,
    status=201,
    errors=(ErrorCode.WORKSPACE_NOT_FOUND, ErrorCode.INSUFFICIENT_ROLE),
)
def create_project(body: ProjectCreate):
    return project_service.create_project(
        current_principal().user, body.name, body.description, body.metadata, body.workspace_id
    )


@bp.get("/projects")
@endpoint(
    "List the projects of every workspace the caller belongs to, newest first",
    tag="Projects",
    query=ProjectListQuery,
    response=ProjectList,
)
def list_projects(query: ProjectListQuery):
    rows, total = project_service.list_project_rows(
        current_principal().user_id, query.limit, query.offset, query.workspace_id
    )
    return jsonify({"projects": [project_json(row._mapping) for row in rows], "total": total})


def project_json(project) -> dict:
    """What `ProjectOut` answers, from a row of `list_project_rows` (timestamps already ISO
    text; the list's hot path: no ORM object, no pydantic model; tests/api/test_projects.py
    checks it against ProjectOut)."""
    return {
        "id": project["id"],
        "user_id": project["user_id"],
        "workspace_id": project["workspace_id"],
        "name": project["name"],
        "description": project["description"],
        "metadata": project["metadata"],
        "approval_required": bool(project["approval_required"]),
        "created_at": project["created_at"],
        "updated_at": project["updated_at"],
    }


@bp.get("/projects/<project_id>")
@endpoint(
    "Get a project", tag="Projects", response=ProjectOut, errors=(ErrorCode.PROJECT_NOT_FOUND,)
)
def get_project(project_id: str):
    return project_service.get_project_or_404(project_id, current_principal().user)


@bp.route("/projects/<project_id>", methods=["PUT", "PATCH"])
@endpoint(
    "Update name, description, metadata or approval_required",
    tag="Projects",
    body=ProjectUpdate,
    response=ProjectOut,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.PROJECT_NOT_FOUND,
    ),
)
def update_project(project_id: str, body: ProjectUpdate):
    project = project_service.get_project_or_404(
        project_id, current_principal().user, Permission.EDIT
    )
    changes = body.model_dump(exclude_unset=True)
    return project_service.update_project(project, **changes)


@bp.delete("/projects/<project_id>")
@endpoint(
    "Delete a project and everything in it",
    tag="Projects",
    status=204,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.PROJECT_NOT_FOUND,
    ),
)
def delete_project(project_id: str):
    user = current_principal().user
    project_service.delete_project(
        project_service.get_project_or_404(project_id, user, Permission.EDIT), user
    )
