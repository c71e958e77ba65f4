"""Projects."""

from __future__ import annotations

from pydantic import AliasChoices, Field, StrictBool

from .common import Metadata, PageQuery, RequestModel, ResponseModel, UtcDatetime, trimmed

ProjectName = trimmed(1, 200)
Description = trimmed(0, 1000)


class ProjectCreate(RequestModel):
    name: ProjectName
    workspace_id: str | None = None
    description: Description | None = None
    metadata: Metadata | None = None


class ProjectUpdate(RequestModel):
    name: ProjectName | None = None
    description: Description | None = None
    metadata: Metadata | None = None
    approval_required: StrictBool | None = Field(
        None,
        description="When true, exports, project ZIPs and share links take only posts "
        "approved at their current version.",
    )


class ProjectOut(ResponseModel):
    id: str
    user_id: str
    workspace_id: str
    name: str
    description: str | None
    metadata: dict[str, str] = Field(validation_alias=AliasChoices("metadata_", "metadata"))
    approval_required: bool = Field(
        description="Only posts approved at their current version leave Copydesk "
        "(exports, ZIPs, share links)."
    )
    created_at: UtcDatetime
    updated_at: UtcDatetime


class ProjectList(ResponseModel):
    projects: list[ProjectOut]
    total: int


class ProjectListQuery(PageQuery):
    workspace_id: str | None = None
