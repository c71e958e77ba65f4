"""Downloads: a post as Markdown, HTML or Word; a project as a ZIP of its posts."""

from __future__ import annotations

from flask import Response, stream_with_context

from ...errors import ErrorCode
from ...services import exports
from ...services import posts as post_service
from ...services.exports import project_zip
from ...services.projects import get_project_or_404
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.exports import ExportQuery

POST_FILE = {
    "description": "The post as a file to save (`Content-Disposition: attachment; "
    'filename="<slug>.<ext>"`).',
    "content": {
        mimetype.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
        for mimetype in exports.MIMETYPES.values()
    },
}
ZIP_FILE = {
    "description": "The ZIP, streamed (`Content-Disposition: attachment; "
    'filename="<project-slug>.zip"`).',
    "content": {exports.ZIP_MIMETYPE: {"schema": {"type": "string", "format": "binary"}}},
}


@bp.get("/posts/<post_id:post_id>/export")
@endpoint(
    "Export a post as Markdown, HTML or Word",
    tag="Exports",
    query=ExportQuery,
    errors=(ErrorCode.POST_NOT_FOUND, ErrorCode.INVALID_STATE, ErrorCode.APPROVAL_REQUIRED),
    description=(
        "Markdown keeps citations as `[^n]` footnotes; HTML is a standalone page with a "
        "Sources list; DOCX keeps headings, lists, links and a Sources list. A post not "
        "completed is 409 INVALID_STATE; where the project requires approval, a post not "
        "approved at its current version is 409 APPROVAL_REQUIRED."
    ),
    extra={"response": POST_FILE},
)
def export_post(post_id: str, query: ExportQuery):
    post = post_service.get_post_or_404(post_id, current_principal().user)
    export = exports.export_post(post, query.format)
    return Response(
        export.body,
        content_type=export.mimetype,
        headers={"Content-Disposition": exports.content_disposition(export.filename)},
    )


@bp.get("/projects/<project_id>/export")
@endpoint(
    "Export a project as a ZIP of its posts",
    tag="Exports",
    errors=(ErrorCode.PROJECT_NOT_FOUND,),
    description=(
        "Every post that may leave Copydesk (completed; approved at its current version "
        "where the project requires approval) as `posts/<slug>.md|html|docx`, and "
        "`manifest.json` with the project, its posts and its sources. Streamed."
    ),
    extra={"response": ZIP_FILE},
)
def export_project(project_id: str):
    project = get_project_or_404(project_id, current_principal().user)
    return Response(
        stream_with_context(project_zip.project_zip(project.id)),
        mimetype=exports.ZIP_MIMETYPE,
        headers={
            "Content-Disposition": exports.content_disposition(project_zip.zip_filename(project))
        },
    )
