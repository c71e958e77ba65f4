"""Link opportunities."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from .common import NO_NUL, RequestModel, ResponseModel, UtcDatetime

Keyword = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=NO_NUL)]


class LinkCreate(RequestModel):
    target_url: Annotated[
        str,
        StringConstraints(
            min_length=10,
            max_length=2048,
            pattern=r"^https?://[^\x00-\x20\x7f/?#]+[^\x00-\x20\x7f]*$",
        ),
    ] = Field(description="Full http(s) URL the link points to.")
    keywords: list[Keyword] = Field(
        min_length=1, max_length=20, description="Words that trigger the link (any case)."
    )
    anchor_text: Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL)] | None = Field(
        None, description="Preferred link text, used where it occurs in the post."
    )


class LinkOut(ResponseModel):
    id: str
    project_id: str
    target_url: str
    keywords: list[str]
    anchor_text: str | None
    created_at: UtcDatetime


class LinkList(ResponseModel):
    opportunities: list[LinkOut]
    total: int
