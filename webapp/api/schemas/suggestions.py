"""Model suggestions on a post's passages."""

from __future__ import annotations

from pydantic import Field

from ...services.review.quotes import QUOTE_MAX
from ...services.review.suggestions import INSTRUCTIONS_MAX, TONE_MAX
from ...vocabulary import SuggestionAction
from .common import PageQuery, RequestModel, ResponseModel, UtcDatetime, one_of, text


class SuggestionRequest(RequestModel):
    action: one_of(SuggestionAction) = Field(
        description="Without a model only shorten and fix are possible (else MODEL_REQUIRED)."
    )
    quote: text(1, QUOTE_MAX) = Field(
        description="A passage of content.markdown, matched with white space collapsed; it "
        "must occur exactly once."
    )
    instructions: text(0, INSTRUCTIONS_MAX) | None = None
    tone: text(0, TONE_MAX) | None = Field(
        None, description="The tone wanted (action tone), e.g. “friendly”."
    )


class SuggestionAccepted(ResponseModel):
    job_id: str
    suggestion_id: str


class SuggestionOut(ResponseModel):
    id: str
    post_id: str
    job_id: str | None
    action: str
    quote: str
    instructions: str | None
    tone: str | None
    replacement: str | None = Field(description="Null until the job has written it.")
    status: str = Field(description="pending, ready, accepted, rejected or failed.")
    error_message: str | None
    created_at: UtcDatetime


class SuggestionList(ResponseModel):
    suggestions: list[SuggestionOut]
    total: int


class SuggestionListQuery(PageQuery):
    limit: int = Field(50, ge=1, le=100, description="Number of results (max 100).")


class AcceptRequest(RequestModel):
    item_version: int = Field(
        ge=1, le=2_000_000_000, description="The post's version the editor is looking at."
    )
