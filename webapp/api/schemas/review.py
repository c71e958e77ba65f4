"""Review steps: submit, approve, request changes."""

from __future__ import annotations

from pydantic import Field

from ...services.review.approval import COMMENT_MAX
from ...vocabulary import Channel
from .common import RequestModel, one_of, trimmed


class SubmitRequest(RequestModel):
    """No fields: the body may be left out."""


class ApproveRequest(RequestModel):
    item_version: int | None = Field(
        None,
        ge=1,
        le=2_000_000_000,
        description="The version the reviewer read; when sent it must be the current one, "
        "else 409 VERSION_CONFLICT.",
    )
    channels: list[one_of(Channel)] | None = Field(
        None,
        max_length=len(Channel),
        description="The channels the approval is for (reference 000), kept for publishing; "
        "optional, defaults to all.",
    )


class RequestChangesRequest(RequestModel):
    comment: trimmed(1, COMMENT_MAX) = Field(
        description="What should change; kept as the reviewer's comment on the post."
    )
