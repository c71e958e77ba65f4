"""Sources."""

from __future__ import annotations

from typing import Annotated

from pydantic import AliasChoices, Field, StringConstraints

from ...vocabulary import FileType, SourceStatus
from .common import PageQuery, RequestModel, ResponseModel, UtcDatetime, one_of, trimmed


class SourceListQuery(PageQuery):
    status: one_of(SourceStatus) | None = Field(None, description="Filter by status.")
    file_type: one_of(FileType) | None = Field(None, description="Filter by type.")


class SourceRename(RequestModel):
    filename: trimmed(1, 255)


HttpUrl = Annotated[
    str, StringConstraints(min_length=10, max_length=2048, pattern=r"^https?://[^\s/?#]+[^\s]*$")
]


class UrlImport(RequestModel):
    url: HttpUrl = Field(description="An http(s) page; private addresses are refused.")


class SourceOut(ResponseModel):
    id: str
    project_id: str
    user_id: str
    filename: str
    file_type: str
    file_size: int
    s3_key: str | None = Field(
        validation_alias=AliasChoices("storage_key", "s3_key"),
        description="Where the file is stored (local or S3 key).",
    )
    source_url: str | None = None
    status: str
    parsed_text: str | None = None
    word_count: int | None = None
    details: dict | None = Field(
        None,
        validation_alias=AliasChoices("parse_details", "details"),
        description="pages, CSV rows and per-row problems, title, …",
    )
    error_message: str | None = None
    job_id: str | None = None
    created_at: UtcDatetime
    updated_at: UtcDatetime


class SourceList(ResponseModel):
    sources: list[SourceOut]
    total: int
