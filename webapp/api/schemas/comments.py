"""Comments on a post, and share links."""

from __future__ import annotations

from pydantic import Field

from ...services.review.comments import BODY_MAX
from ...services.review.quotes import QUOTE_MAX
from ...services.review.sharing import DEFAULT_DAYS, MAX_DAYS, MIN_DAYS
from .common import RequestModel, ResponseModel, UtcDatetime, text, trimmed
from .revisions import Person


class CommentCreate(RequestModel):
    body: trimmed(1, BODY_MAX) = Field(description="Plain text; shown escaped, never as HTML.")
    quote: text(1, QUOTE_MAX) | None = Field(
        None, description="A passage of `content.markdown` the comment is about (kept as sent)."
    )
    parent_id: text(1, 64) | None = Field(
        None,
        description="Reply to this comment of the post; a reply to a reply joins the "
        "thread's first comment.",
    )


class CommentPatch(RequestModel):
    body: trimmed(1, BODY_MAX) | None = Field(None, description="Its author only.")
    resolved: bool | None = Field(
        None, description="Resolve (true) or reopen (false): editors and up, and reviewers."
    )


class CommentOut(ResponseModel):
    id: str
    post_id: str
    parent_id: str | None
    author: Person | None = Field(description="Null for a guest (see `guest_name`).")
    guest_name: str | None
    body: str
    quote: str | None
    resolved: bool
    outdated: bool = Field(description="Its quote is no longer in the post.")
    created_at: UtcDatetime
    updated_at: UtcDatetime


class CommentList(ResponseModel):
    comments: list[CommentOut]
    total: int


class ShareCreate(RequestModel):
    expires_in_days: int = Field(DEFAULT_DAYS, ge=MIN_DAYS, le=MAX_DAYS)
    allow_comments: bool = Field(False, description="Guests may comment with a name.")


class ShareCreated(ResponseModel):
    url: str = Field(description="The share page, `{BASE_URL}/share/{token}`; shown once.")
    token: str
    expires_at: UtcDatetime
    allow_comments: bool


class ShareOut(ResponseModel):
    expires_at: UtcDatetime
    allow_comments: bool
    created_at: UtcDatetime
