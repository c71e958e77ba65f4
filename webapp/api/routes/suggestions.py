"""Model suggestions: ask for one on a passage, list them, accept or reject one."""

from __future__ import annotations

from ...errors import ErrorCode
from ...services import posts as post_service
from ...services.access import Permission
from ...services.review import suggestions
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.posts import PostOut
from ..schemas.suggestions import (
    AcceptRequest,
    SuggestionAccepted,
    SuggestionList,
    SuggestionListQuery,
    SuggestionOut,
    SuggestionRequest,
)


@bp.post("/posts/<post_id:post_id>/suggestions")
@endpoint(
    "Ask the model for a suggestion on a passage; poll the returned job",
    tag="Suggestions",
    body=SuggestionRequest,
    response=SuggestionAccepted,
    status=202,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.POST_NOT_FOUND,
        ErrorCode.INVALID_STATE,
        ErrorCode.QUOTE_NOT_FOUND,
        ErrorCode.QUOTE_AMBIGUOUS,
        ErrorCode.MODEL_REQUIRED,
        ErrorCode.CONCURRENT_LIMIT_EXCEEDED,
        ErrorCode.SERVICE_UNAVAILABLE,
    ),
    description="Blog, social and email posts (their Markdown); twitter and linkedin posts "
    "are 400. The job (`ai_edit`) counts toward the plan's concurrency but uses no post of "
    "the monthly quota. Without a model only shorten and fix are possible (else 400 "
    "MODEL_REQUIRED); citation markers inside the quote are kept in the replacement.",
)
def request_suggestion(post_id: str, body: SuggestionRequest):
    user = current_principal().user
    post = post_service.get_post_or_404(post_id, user, Permission.EDIT)
    suggestion = suggestions.request_suggestion(
        post, user, body.action, body.quote, body.instructions, body.tone
    )
    return {"job_id": suggestion.job_id, "suggestion_id": suggestion.id}


@bp.get("/posts/<post_id:post_id>/suggestions")
@endpoint(
    "List a post's suggestions, newest first",
    tag="Suggestions",
    query=SuggestionListQuery,
    response=SuggestionList,
    errors=(ErrorCode.POST_NOT_FOUND,),
)
def list_suggestions(post_id: str, query: SuggestionListQuery):
    post = post_service.get_post_or_404(post_id, current_principal().user)
    page = suggestions.list_suggestions(post, query.limit, query.offset)
    return {"suggestions": page.items, "total": page.total}


@bp.post("/suggestions/<suggestion_id>/accept")
@endpoint(
    "Accept a suggestion: its replacement goes into the post as a new revision",
    tag="Suggestions",
    body=AcceptRequest,
    response=PostOut,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.SUGGESTION_NOT_FOUND,
        ErrorCode.INVALID_STATE,
        ErrorCode.STALE_SUGGESTION,
        ErrorCode.VERSION_CONFLICT,
    ),
    description="Only a ready suggestion. 409 STALE_SUGGESTION when its quote is no longer "
    "in the post exactly once (checked first), else 409 VERSION_CONFLICT for a stale "
    "item_version (with detail.current_version).",
)
def accept_suggestion(suggestion_id: str, body: AcceptRequest):
    user = current_principal().user
    suggestion = suggestions.get_suggestion_or_404(suggestion_id, user, Permission.EDIT)
    return suggestions.accept(suggestion, user, body.item_version)


@bp.post("/suggestions/<suggestion_id>/reject")
@endpoint(
    "Reject a suggestion",
    tag="Suggestions",
    response=SuggestionOut,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.SUGGESTION_NOT_FOUND,
        ErrorCode.INVALID_STATE,
    ),
)
def reject_suggestion(suggestion_id: str):
    user = current_principal().user
    return suggestions.reject(
        suggestions.get_suggestion_or_404(suggestion_id, user, Permission.EDIT)
    )
