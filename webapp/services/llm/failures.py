"""How a model call fails: the errors callers see, which failures are worth another
attempt, and how long to wait before it."""

from __future__ import annotations

import math
import random

RETRY_AFTER_CAP_SECONDS = 30.0  # longest wait between two attempts


class Interrupt(Exception):
    """Raised by a caller's callback (`on_delta`, `on_restart`) to stop a call at once:
    never retried, and re-raised as itself however litellm wrapped it."""


class LLMError(Exception):
    """A model call that failed for good; `message` is a sentence a user can read."""

    def __init__(self, message: str, retryable: bool = False):
        super().__init__(message)
        self.message = message
        self.retryable = retryable


def interruption_in(exc: BaseException) -> BaseException | None:
    """The job timeout or Interrupt behind `exc`: litellm maps whatever stops a call (RQ's
    timeout signal lands in the middle of a socket read) onto a provider error, keeping
    the original in the exception's chain."""
    from rq.timeouts import JobTimeoutException

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, (Interrupt, JobTimeoutException)):
            return exc
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def is_provider_error(exc: Exception) -> bool:
    """Whether `exc` came from the model provider or the way to it (litellm maps provider
    errors onto the openai client's classes; transport errors are httpx's or the OS's)."""
    import httpx
    import openai

    return isinstance(exc, (openai.OpenAIError, httpx.HTTPError, TimeoutError, ConnectionError))


def describe(exc: Exception, config) -> LLMError:
    """A readable LLMError for a litellm/openai exception, marked retryable or not."""
    status = getattr(exc, "status_code", None)
    name = type(exc).__name__
    if "Timeout" in name or "timed out" in str(exc).lower():
        return LLMError(
            f"The model timed out after {config['LLM_TIMEOUT_SECONDS']} s.", retryable=True
        )
    if "ContextWindow" in name:
        return LLMError("The prompt is too long for the model's context window.")
    if status == 429 or "RateLimit" in name:
        return LLMError("The model provider is rate limiting us (HTTP 429).", retryable=True)
    if isinstance(status, int) and status >= 500:
        return LLMError(f"The model provider answered HTTP {status}.", retryable=True)
    if "APIConnection" in name or "ServiceUnavailable" in name or "InternalServer" in name:
        return LLMError("The model provider could not be reached.", retryable=True)
    if status in (401, 403) or "Authentication" in name or "PermissionDenied" in name:
        return LLMError("The model provider refused our credentials (check LLM_API_KEY).")
    if status == 404 or "NotFound" in name:
        return LLMError(f"The model {config['LLM_MODEL']} was not found at the provider.")
    if status == 400 or "BadRequest" in name:
        return LLMError("The model provider refused the request as invalid (HTTP 400).")
    return LLMError(f"The model call failed ({name}).", retryable=True)


def backoff(attempt: int, config, exc: Exception | None = None) -> float:
    """Seconds before the next attempt: the provider's Retry-After when it sends one
    (capped), else base * 2^attempt with a little jitter, capped as well."""
    retry_after = _retry_after(exc)
    if retry_after is not None:
        return min(retry_after, RETRY_AFTER_CAP_SECONDS)
    base = float(config.get("LLM_RETRY_BASE_SECONDS", 1.0))
    return min(base * (2**attempt), RETRY_AFTER_CAP_SECONDS) * (1 + random.random() * 0.25)


def _retry_after(exc) -> float | None:
    """The Retry-After seconds of the provider's response; None when absent or unusable
    (an HTTP date, negative, NaN), so that the exponential schedule applies."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    try:
        value = float(headers.get("retry-after") or headers.get("Retry-After"))
    except (TypeError, ValueError, AttributeError):
        return None
    return value if math.isfinite(value) and value >= 0 else None
