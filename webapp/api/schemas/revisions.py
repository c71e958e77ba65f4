"""Revisions of a post's content."""

from __future__ import annotations

from pydantic import Field

from .common import PageQuery, QueryModel, RequestModel, ResponseModel, UtcDatetime


class Person(ResponseModel):
    id: str
    name: str


class RevisionSummary(ResponseModel):
    id: str
    item_version: int
    author: Person | None = Field(description="Null for the generated draft.")
    summary: str
    word_count: int
    created_at: UtcDatetime


class RevisionOut(RevisionSummary):
    content: dict = Field(description="The post's content object as it was at this version.")


class RevisionList(ResponseModel):
    revisions: list[RevisionSummary]
    total: int


class RevisionListQuery(PageQuery):
    limit: int = Field(50, ge=1, le=100, description="Number of results (max 100).")


class DiffQuery(QueryModel):
    against: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description="The revision to compare with (the older side); by default the one before it.",
    )


class DiffOut(ResponseModel):
    diff: str = Field(description="A unified diff of the two revisions' Markdown.")


class RestoreRequest(RequestModel):
    item_version: int | None = Field(
        None, ge=1, le=2_000_000_000, description="The version the restore is made from."
    )
