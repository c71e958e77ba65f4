"""The catalogue of error codes: every `detail.code` Copydesk answers with, its HTTP status
and what it means.

Raise with a member (``NotFound("Post not found.", code=ErrorCode.POST_NOT_FOUND)``); the
status comes from the catalogue. API operations declare the members they can answer (see
`webapp.api.endpoint`), and the OpenAPI document lists them per response.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """A member is its code string (``ErrorCode.TOKEN_EXPIRED == "TOKEN_EXPIRED"``), with
    `status` (the HTTP status it is answered with), `statuses` (every status it may be
    answered with; `status` first) and `meaning` (one line for the documentation)."""

    status: int
    statuses: tuple[int, ...]
    meaning: str

    def __new__(cls, code: str, statuses: int | tuple[int, ...], meaning: str):
        member = str.__new__(cls, code)
        member._value_ = code
        member.statuses = statuses if isinstance(statuses, tuple) else (statuses,)
        member.status = member.statuses[0] if member.statuses else 0
        member.meaning = meaning
        return member

    # 400
    BAD_REQUEST = "BAD_REQUEST", 400, "The request could not be understood."
    VALIDATION_ERROR = "VALIDATION_ERROR", 400, "A field, parameter or header is invalid."
    INVALID_JSON = "INVALID_JSON", 400, "The body is not valid UTF-8 JSON, or is nested too deep."
    TOPIC_TOO_LONG = "TOPIC_TOO_LONG", 400, "The topic is over 200 characters."
    INSTRUCTIONS_TOO_LONG = (
        "INSTRUCTIONS_TOO_LONG",
        400,
        "The custom instructions are over 2,000 characters.",
    )
    INVALID_SOURCE = "INVALID_SOURCE", 400, "The source is not parsed (or not a parsed CSV)."
    INVALID_TOKEN = (
        "INVALID_TOKEN",
        400,
        "The mailed token is invalid, expired, or was already used.",
    )
    EMPTY_FILE = "EMPTY_FILE", 400, "The uploaded file is empty."
    UNSUPPORTED_FILE_TYPE = (
        "UNSUPPORTED_FILE_TYPE",
        400,
        "The file is not a PDF, DOCX, Markdown, text or CSV file.",
    )
    INVALID_URL = "INVALID_URL", 400, "The URL cannot be fetched (such as a private address)."
    INVALID_STATE = (
        "INVALID_STATE",
        (400, 409),
        "The job cannot be cancelled, retried, given slots or confirmed, or the post take "
        "this review step, in its current state (409: a post or job not completed cannot "
        "be exported or downloaded).",
    )
    BULK_LIMIT_EXCEEDED = (
        "BULK_LIMIT_EXCEEDED",
        400,
        "The CSV has more usable rows than the plan's bulk_limit allows in one job.",
    )
    QUOTE_NOT_FOUND = "QUOTE_NOT_FOUND", 400, "The quoted passage is not in the post."
    QUOTE_AMBIGUOUS = (
        "QUOTE_AMBIGUOUS",
        400,
        "The quoted passage occurs more than once in the post; quote more of it.",
    )
    MODEL_REQUIRED = (
        "MODEL_REQUIRED",
        400,
        "Only a connected model can do this; the offline writer cannot.",
    )
    # 401
    UNAUTHORIZED = "UNAUTHORIZED", 401, "No credentials were sent."
    INVALID_CREDENTIALS = (
        "INVALID_CREDENTIALS",
        (401, 400),
        "Wrong email or password (400: wrong current password on change).",
    )
    TOKEN_EXPIRED = "TOKEN_EXPIRED", 401, "The token has expired."
    TOKEN_INVALID = "TOKEN_INVALID", 401, "The token is malformed, revoked or already used."
    INVALID_API_KEY = "INVALID_API_KEY", 401, "The API key is invalid or revoked."
    # 403
    FORBIDDEN = "FORBIDDEN", 403, "Not allowed."
    SIGNUP_CLOSED = "SIGNUP_CLOSED", 403, "Self-service sign-up is closed on this installation."
    ACCOUNT_DISABLED = (
        "ACCOUNT_DISABLED",
        403,
        "An operator disabled the account (flask users disable).",
    )
    EMAIL_NOT_VERIFIED = (
        "EMAIL_NOT_VERIFIED",
        403,
        "The account must verify its email address first.",
    )
    VOICE_NOT_AVAILABLE = "VOICE_NOT_AVAILABLE", 403, "The voice is not on the caller's plan."
    QUOTA_EXCEEDED = "QUOTA_EXCEEDED", 403, "The plan's posts of this month are used up."
    SOURCE_LIMIT_REACHED = (
        "SOURCE_LIMIT_REACHED",
        403,
        "The project has the most sources the plan allows.",
    )
    LIVE_KEY_REQUIRED = "LIVE_KEY_REQUIRED", 403, "A test API key may not do this."
    INSUFFICIENT_ROLE = (
        "INSUFFICIENT_ROLE",
        403,
        "The caller's role in the workspace does not allow this.",
    )
    INVITATION_EMAIL_MISMATCH = (
        "INVITATION_EMAIL_MISMATCH",
        403,
        "The invitation is for another email address than the signed-in account's.",
    )
    # 404
    NOT_FOUND = "NOT_FOUND", 404, "No such endpoint or resource."
    PROJECT_NOT_FOUND = "PROJECT_NOT_FOUND", 404, "No such project of the caller's."
    POST_NOT_FOUND = "POST_NOT_FOUND", 404, "No such post of the caller's."
    SOURCE_NOT_FOUND = "SOURCE_NOT_FOUND", 404, "No such source (in this project) of the caller's."
    LINK_NOT_FOUND = "LINK_NOT_FOUND", 404, "No such link opportunity of the caller's."
    JOB_NOT_FOUND = "JOB_NOT_FOUND", 404, "No such job of the caller's."
    WORKSPACE_NOT_FOUND = "WORKSPACE_NOT_FOUND", 404, "No such workspace the caller belongs to."
    MEMBER_NOT_FOUND = "MEMBER_NOT_FOUND", 404, "No such member of the workspace."
    INVITATION_NOT_FOUND = (
        "INVITATION_NOT_FOUND",
        404,
        "No such invitation of a workspace the caller manages.",
    )
    VOICE_NOT_FOUND = "VOICE_NOT_FOUND", 404, "No such brand voice in the workspace."
    REVISION_NOT_FOUND = "REVISION_NOT_FOUND", 404, "No such revision of the post."
    SUGGESTION_NOT_FOUND = "SUGGESTION_NOT_FOUND", 404, "No such suggestion of the caller's."
    COMMENT_NOT_FOUND = "COMMENT_NOT_FOUND", 404, "No such comment of the caller's."
    SHARE_LINK_NOT_FOUND = (
        "SHARE_LINK_NOT_FOUND",
        404,
        "The post has no active share link, or the link is expired or revoked.",
    )
    # 405, 406
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED", 405, "The method is not allowed on this path."
    NOT_ACCEPTABLE = "NOT_ACCEPTABLE", 406, "No acceptable representation."
    # 409
    CONFLICT = "CONFLICT", 409, "The request conflicts with the current state."
    EMAIL_EXISTS = "EMAIL_EXISTS", 409, "An account with this email already exists."
    EMAIL_ALREADY_VERIFIED = (
        "EMAIL_ALREADY_VERIFIED",
        409,
        "The email address is verified already.",
    )
    API_KEY_LIMIT_REACHED = (
        "API_KEY_LIMIT_REACHED",
        409,
        "The caller has the most active API keys allowed.",
    )
    ALREADY_GENERATING = (
        "ALREADY_GENERATING",
        409,
        "A post on this topic is being generated in the project.",
    )
    PERSONAL_WORKSPACE = (
        "PERSONAL_WORKSPACE",
        409,
        "A personal workspace cannot be deleted.",
    )
    LAST_OWNER = (
        "LAST_OWNER",
        409,
        "The owner cannot be demoted or removed; transfer ownership first.",
    )
    TRANSFER_OWNERSHIP_FIRST = (
        "TRANSFER_OWNERSHIP_FIRST",
        409,
        "The account owns a workspace with other members; transfer it first.",
    )
    ALREADY_MEMBER = "ALREADY_MEMBER", 409, "The address is a member of the workspace already."
    INVITATION_LIMIT_REACHED = (
        "INVITATION_LIMIT_REACHED",
        409,
        "The workspace has the most pending invitations allowed (50).",
    )
    IDEMPOTENCY_IN_PROGRESS = (
        "IDEMPOTENCY_IN_PROGRESS",
        409,
        "A request with this Idempotency-Key is still running.",
    )
    IDEMPOTENCY_REPLAY_UNAVAILABLE = (
        "IDEMPOTENCY_REPLAY_UNAVAILABLE",
        409,
        "The key's request succeeded; its secret is not replayed.",
    )
    VERSION_CONFLICT = (
        "VERSION_CONFLICT",
        409,
        "The post or job changed since the item_version sent; detail.current_version says "
        "its version.",
    )
    STALE_SUGGESTION = (
        "STALE_SUGGESTION",
        409,
        "The suggestion's passage is no longer in the post exactly once.",
    )
    APPROVAL_REQUIRED = (
        "APPROVAL_REQUIRED",
        409,
        "The project requires approval, and the post is not approved at its current version.",
    )
    # 410
    INVITATION_EXPIRED = (
        "INVITATION_EXPIRED",
        410,
        "The invitation was used, revoked, or has expired.",
    )
    # 413, 415, 422
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE", 413, "The request body is too large."
    FILE_TOO_LARGE = "FILE_TOO_LARGE", 413, "The uploaded file is over the size limit."
    STORAGE_LIMIT_REACHED = (
        "STORAGE_LIMIT_REACHED",
        413,
        "The file would not fit in the plan's storage.",
    )
    UNSUPPORTED_MEDIA_TYPE = (
        "UNSUPPORTED_MEDIA_TYPE",
        415,
        "The body is not of the Content-Type the operation takes.",
    )
    UNPROCESSABLE_ENTITY = "UNPROCESSABLE_ENTITY", 422, "The request cannot be processed."
    IDEMPOTENCY_KEY_REUSED = (
        "IDEMPOTENCY_KEY_REUSED",
        422,
        "The Idempotency-Key was used with a different request.",
    )
    # 429
    RATE_LIMIT_EXCEEDED = (
        "RATE_LIMIT_EXCEEDED",
        429,
        "Too many requests (or failed sign-ins); see retry_after.",
    )
    CONCURRENT_LIMIT_EXCEEDED = (
        "CONCURRENT_LIMIT_EXCEEDED",
        429,
        "The plan's generations at a time are running.",
    )
    PARSE_QUEUE_FULL = (
        "PARSE_QUEUE_FULL",
        429,
        "The plan's documents being parsed at once are queued.",
    )
    # 5xx
    INTERNAL_ERROR = "INTERNAL_ERROR", 500, "Unexpected error; quote detail.error_id."
    SERVICE_UNAVAILABLE = (
        "SERVICE_UNAVAILABLE",
        503,
        "A backing service (queue, storage) is unavailable.",
    )
    # Any other HTTP error werkzeug raises, answered with its own status.
    HTTP_ERROR = "HTTP_ERROR", (), "An HTTP error without a code of its own."


HTTP_STATUS_CODES = {
    member.status: member
    for member in (
        ErrorCode.BAD_REQUEST,
        ErrorCode.UNAUTHORIZED,
        ErrorCode.FORBIDDEN,
        ErrorCode.NOT_FOUND,
        ErrorCode.METHOD_NOT_ALLOWED,
        ErrorCode.NOT_ACCEPTABLE,
        ErrorCode.CONFLICT,
        ErrorCode.PAYLOAD_TOO_LARGE,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        ErrorCode.UNPROCESSABLE_ENTITY,
        ErrorCode.RATE_LIMIT_EXCEEDED,
        ErrorCode.INTERNAL_ERROR,
        ErrorCode.SERVICE_UNAVAILABLE,
    )
}
"""The code of a werkzeug HTTP error of each status (HTTP_ERROR for any other)."""
