"""Export downloads of a post and a project."""

from __future__ import annotations

from flask import Response, abort, stream_with_context
from flask_login import current_user

from ..services import exports
from ..services import posts as post_service
from ..services.exports import project_zip
from ..services.projects import get_project_or_404
from ..vocabulary import ExportFormat
from . import bp

# The download group's links: (format, label).
FORMATS = (
    (ExportFormat.MD, "Markdown"),
    (ExportFormat.HTML, "HTML"),
    (ExportFormat.DOCX, "Word (.docx)"),
)


def panel(post, user) -> dict:
    """What templates/posts/show.html needs from this feature: the formats offered, or
    why the post may not be exported."""
    return {"export_formats": FORMATS, "export_refusal": exports.refusal(post)}


@bp.get("/posts/<post_id>/export.<fmt>")
def export_post(post_id: str, fmt: str):
    post = post_service.get_post_or_404(post_id, current_user)
    if fmt not in {f.value for f in ExportFormat}:
        abort(404)
    export = exports.export_post(post, ExportFormat(fmt))
    return Response(
        export.body,
        content_type=export.mimetype,
        headers={"Content-Disposition": exports.content_disposition(export.filename)},
    )


@bp.get("/projects/<project_id>/export.zip")
def export_project(project_id: str):
    project = get_project_or_404(project_id, current_user)
    return Response(
        stream_with_context(project_zip.project_zip(project.id)),
        mimetype=exports.ZIP_MIMETYPE,
        headers={
            "Content-Disposition": exports.content_disposition(project_zip.zip_filename(project))
        },
    )
