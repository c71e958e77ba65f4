"""The typed exceptions of the application and the one place they become responses.

Services raise these with a code of the catalogue (`ErrorCode`); the API turns them into
the `{"detail": {...}}` envelope and the HTML views into error pages (or form messages,
where a view catches them first).
"""

from __future__ import annotations

import logging
import secrets
import time

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from .config import max_upload_text
from .error_codes import HTTP_STATUS_CODES, ErrorCode

log = logging.getLogger(__name__)


class AppError(Exception):
    """Base class: a stable machine code of the catalogue, its HTTP status and a human
    message. `status` is the code's own unless given (one the code may be answered with)."""

    code = ErrorCode.BAD_REQUEST
    message = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: ErrorCode | None = None,
        status: int | None = None,
        errors: list[dict] | None = None,
        **extra,
    ):
        super().__init__(message or self.message)
        self.message = message or self.message
        # A string is looked up, so that a code missing from the catalogue fails here.
        self.code = ErrorCode(code or self.code)
        if status is not None and status not in self.code.statuses:
            raise ValueError(f"{self.code} is not answered with {status}")
        self.status = status or self.code.status
        self.errors = errors
        self.extra = extra

    def to_detail(self) -> dict:
        detail = {"code": self.code, "message": self.message}
        if self.errors is not None:
            detail["errors"] = self.errors
        detail.update(self.extra)
        return detail


class ValidationFailed(AppError):
    code = ErrorCode.VALIDATION_ERROR
    message = "Input validation failed."

    @classmethod
    def at(cls, loc, message: str, type_: str = "value_error", summary: str | None = None, **extra):
        """The error of one field of the body: `loc` a field name or a path under "body";
        the envelope's message is `summary`, else the field's own `message`."""
        path = [loc] if isinstance(loc, str) else list(loc)
        error = {"loc": ["body", *path], "msg": message, "type": type_}
        return cls(summary or message, errors=[error], **extra)

    def field_messages(self) -> dict[str, str]:
        """{field name: first message}, for showing next to form fields."""
        messages: dict[str, str] = {}
        for error in self.errors or []:
            field = str(error["loc"][-1]) if error.get("loc") else "__all__"
            messages.setdefault(field, error["msg"])
        return messages


class Unauthorized(AppError):
    code = ErrorCode.UNAUTHORIZED
    message = "Authentication required."


class Forbidden(AppError):
    code = ErrorCode.FORBIDDEN
    message = "You are not allowed to do that."


class NotFound(AppError):
    code = ErrorCode.NOT_FOUND
    message = "Not found."


class Conflict(AppError):
    code = ErrorCode.CONFLICT
    message = "The request conflicts with the current state."


class ServiceUnavailable(AppError):
    code = ErrorCode.SERVICE_UNAVAILABLE
    message = "A backing service is unavailable; try again shortly."


def field_error(field: str, msg: str, type_: str = "value_error") -> dict:
    return {"loc": ["body", field], "msg": msg, "type": type_}


HTTP_MESSAGES = {
    404: "No such endpoint or resource.",
    405: "Method not allowed on this endpoint.",
    413: "The request body is too large.",
    500: "Internal server error.",
}


def is_api_request() -> bool:
    return request.path.startswith("/api/") and not request.path.startswith("/api/docs")


def api_error_response(status: int, detail: dict, headers: dict | None = None):
    check_declared(status, detail["code"])
    response = jsonify({"detail": detail})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def html_error_response(status: int, message: str, error_id: str | None = None):
    template = f"errors/{status}.html" if status in (403, 404, 429, 500) else "errors/generic.html"
    return render_template(template, status=status, message=message, error_id=error_id), status


def seconds_until_limit_reset() -> int:
    from .extensions import limiter

    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()))


def handle_app_error(error: AppError):
    if is_api_request():
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        return api_error_response(error.status, error.to_detail(), headers)
    return html_error_response(error.status, error.message)


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    if status == 429:
        retry_after = seconds_until_limit_reset()
        message = f"Too many requests. Try again in {retry_after} seconds."
        if is_api_request():
            detail = {
                "code": ErrorCode.RATE_LIMIT_EXCEEDED,
                "message": message,
                "retry_after": retry_after,
            }
            return api_error_response(429, detail, {"Retry-After": str(retry_after)})
        return html_error_response(429, message)
    message = HTTP_MESSAGES.get(status) or error.description or "Request failed."
    code = HTTP_STATUS_CODES.get(status, ErrorCode.HTTP_ERROR)
    if status == 413 and request.mimetype == "multipart/form-data":
        code, message = (
            ErrorCode.FILE_TOO_LARGE,
            f"The file is larger than the {max_upload_text()} limit.",
        )
    if is_api_request():
        detail = {"code": code, "message": message}
        headers = {}
        if status == 405 and getattr(error, "valid_methods", None):
            headers["Allow"] = ", ".join(error.valid_methods)
        return api_error_response(status, detail, headers)
    return html_error_response(status, message)


def new_error_id() -> str:
    """A short random id that ties what a user is shown to one line of the log."""
    return secrets.token_hex(6)


def log_unexpected(error: BaseException, context: str) -> str:
    """Log `error` with its traceback under a new error id and return the id. What a user
    sees carries only the id, never the exception's text (library or storage internals)."""
    error_id = new_error_id()
    log.error("error_id=%s %s: %s", error_id, context, type(error).__name__, exc_info=error)
    return error_id


def with_reference(sentence: str, error_id: str) -> str:
    """A user-facing failure reason that names the logged error: `<sentence> (ref <id>)`."""
    return f"{sentence} (ref {error_id})"


def handle_unexpected(error: Exception):
    error_id = log_unexpected(error, f"unhandled error on {request.method} {request.path}")
    if is_api_request():
        return api_error_response(
            500,
            {"code": ErrorCode.INTERNAL_ERROR, "message": HTTP_MESSAGES[500], "error_id": error_id},
        )
    return html_error_response(500, HTTP_MESSAGES[500], error_id=error_id)


class UndeclaredErrorCode(AssertionError):
    """Under TESTING: an API operation answered a code its `@endpoint` does not declare."""


def check_declared(status: int, code: str) -> None:
    """Under TESTING, refuse to answer an API operation's error that its declaration (and
    so the OpenAPI document) does not list: the API tests then prove the declarations
    complete. Answers outside any operation (unknown paths, 405) are not checked."""
    if not current_app.testing:
        return
    spec = getattr(current_app.view_functions.get(request.endpoint), "api_spec", None)
    if spec is None:
        return
    if code not in spec.error_codes(request.method) or status not in ErrorCode(code).statuses:
        raise UndeclaredErrorCode(
            f"{request.method} {request.url_rule} answered {status} {code}, which its "
            f"@endpoint declaration does not list (errors=...)"
        )


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(AppError, handle_app_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
