"""The Sources endpoints of the reference API, plus URL import."""

from __future__ import annotations

from flask import request

from ...errors import ErrorCode, ValidationFailed
from ...services import sources as source_service
from ...services.access import Permission
from ...services.projects import get_project_or_404
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.sources import SourceList, SourceListQuery, SourceOut, SourceRename, UrlImport

PROJECT_SOURCES = "/sources/projects/<project_id>/sources"
ONE_SOURCE = "/sources/sources/<source_id>"
# What adding a source may meet: the plan's caps, and a queue that is down.
CAPPED = (
    ErrorCode.SOURCE_LIMIT_REACHED,
    ErrorCode.STORAGE_LIMIT_REACHED,
    ErrorCode.PARSE_QUEUE_FULL,
    ErrorCode.SERVICE_UNAVAILABLE,
)


@bp.post(PROJECT_SOURCES)
@endpoint(
    "Upload a source file (multipart field `file`); parsing starts in the background",
    tag="Sources",
    upload=True,
    response=SourceOut,
    status=201,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.PROJECT_NOT_FOUND,
        ErrorCode.EMPTY_FILE,
        ErrorCode.UNSUPPORTED_FILE_TYPE,
        *CAPPED,
    ),
)
def upload_source(project_id: str):
    user = current_principal().user
    project = get_project_or_404(project_id, user, Permission.EDIT)
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed(
            "Send the file as multipart/form-data field `file`.",
            errors=[{"loc": ["body", "file"], "msg": "Field required", "type": "missing"}],
        )
    return source_service.add_upload(user, project, upload.filename, upload.stream)


@bp.post(PROJECT_SOURCES + "/url")
@endpoint(
    "Import a web page as a source; fetching starts in the background",
    tag="Sources",
    body=UrlImport,
    response=SourceOut,
    status=201,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.PROJECT_NOT_FOUND,
        ErrorCode.INVALID_URL,
        *CAPPED,
    ),
)
def import_url(project_id: str, body: UrlImport):
    user = current_principal().user
    return source_service.add_url(
        user, get_project_or_404(project_id, user, Permission.EDIT), body.url
    )


@bp.get(PROJECT_SOURCES)
@endpoint(
    "List a project's sources, newest first",
    tag="Sources",
    query=SourceListQuery,
    response=SourceList,
    errors=(ErrorCode.PROJECT_NOT_FOUND,),
)
def list_sources(project_id: str, query: SourceListQuery):
    project = get_project_or_404(project_id, current_principal().user)
    sources, total = source_service.list_sources(
        project, query.status, query.file_type, query.limit, query.offset
    )
    return {"sources": sources, "total": total}


@bp.get(ONE_SOURCE)
@endpoint(
    "Get a source with its parsed text",
    tag="Sources",
    response=SourceOut,
    errors=(ErrorCode.SOURCE_NOT_FOUND,),
)
def get_source(source_id: str):
    return source_service.get_source_or_404(source_id, current_principal().user)


@bp.put(ONE_SOURCE)
@endpoint(
    "Rename a source",
    tag="Sources",
    body=SourceRename,
    response=SourceOut,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.SOURCE_NOT_FOUND,
    ),
)
def rename_source(source_id: str, body: SourceRename):
    source = source_service.get_source_or_404(
        source_id, current_principal().user, need=Permission.EDIT
    )
    return source_service.rename_source(source, body.filename)


@bp.delete(ONE_SOURCE)
@endpoint(
    "Delete a source and its stored file",
    tag="Sources",
    status=204,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.SOURCE_NOT_FOUND,
    ),
)
def delete_source(source_id: str):
    source_service.delete_source(
        source_service.get_source_or_404(source_id, current_principal().user, need=Permission.EDIT)
    )
