"""Exports: a post as Markdown, HTML or Word (.docx), and a whole project as a streamed ZIP.

Only what may leave Copydesk is exported: a completed post, and where the project requires
approval, one approved at its current version (services.review.approval)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ...errors import AppError, ErrorCode
from ...models import Post
from ...vocabulary import ExportFormat, PostStatus
from ..footnotes import footnotes_of
from ..review import approval
from . import docx, html, markdown

MIMETYPES = {
    ExportFormat.MD: "text/markdown; charset=utf-8",
    ExportFormat.HTML: "text/html; charset=utf-8",
    ExportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
ZIP_MIMETYPE = "application/zip"
SLUG_MAX = 80
_WRITERS = {
    ExportFormat.MD: lambda post, notes: markdown.post_markdown(post, notes).encode("utf-8"),
    ExportFormat.HTML: lambda post, notes: html.post_html(post, notes).encode("utf-8"),
    ExportFormat.DOCX: docx.post_docx,
}


@dataclass(frozen=True)
class Export:
    filename: str
    mimetype: str
    body: bytes


def export_post(post: Post, fmt: ExportFormat | str) -> Export:
    """The post in `fmt`, named `<slug>.<ext>`; INVALID_STATE (409) unless it is completed,
    APPROVAL_REQUIRED (409) when its project requires an approval it lacks."""
    require_exportable(post)
    fmt = ExportFormat(fmt)
    return Export(f"{slug(title_of(post))}.{fmt}", MIMETYPES[fmt], render(post, fmt))


def render(post: Post, fmt: ExportFormat, footnotes=None) -> bytes:
    """The post's file in `fmt` (no checks: the caller decided it may leave)."""
    notes = footnotes_of(post) if footnotes is None else footnotes
    return _WRITERS[ExportFormat(fmt)](post, notes)


def require_exportable(post: Post) -> None:
    if post.status != PostStatus.COMPLETED:
        raise AppError(
            f"The post is {post.status}; only a completed post can be exported.",
            code=ErrorCode.INVALID_STATE,
            status=409,
        )
    approval.require_cleared(post, "exported")


def refusal(post: Post) -> str | None:
    """Why the post cannot be exported now, or None when it can."""
    try:
        require_exportable(post)
    except AppError as error:
        return error.message
    return None


def title_of(post: Post) -> str:
    return (post.content or {}).get("title") or post.topic or ""


def slug(text: str | None, fallback: str = "post") -> str:
    """ASCII, lowercase words joined by hyphens, at most 80 characters; `fallback` if empty."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:SLUG_MAX].rstrip("-") or fallback


def content_disposition(filename: str) -> str:
    return f'attachment; filename="{filename}"'
