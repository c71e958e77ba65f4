"""Exports of a post."""

from __future__ import annotations

from pydantic import Field

from ...vocabulary import ExportFormat
from .common import QueryModel, one_of


class ExportQuery(QueryModel):
    format: one_of(ExportFormat) = Field(
        ExportFormat.MD, description="md (Markdown), html (a standalone page) or docx (Word)."
    )
