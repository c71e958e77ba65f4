"""The only module that talks to a model: litellm with explicit timeouts, our own retries
with backoff (429, 5xx, timeouts, connection errors), fallback models, streaming, and the
tokens and cost of every call.

litellm is imported lazily and only by the worker (`preload()` before jobs fork): importing
it costs seconds and ~150 MB, which the web process never pays.
"""

from .calls import Completion, complete, is_configured, preload, structured_format
from .failures import (
    RETRY_AFTER_CAP_SECONDS,
    Interrupt,
    LLMError,
    backoff,
    describe,
    interruption_in,
    is_provider_error,
)

__all__ = [
    "RETRY_AFTER_CAP_SECONDS",
    "Completion",
    "Interrupt",
    "LLMError",
    "backoff",
    "complete",
    "describe",
    "interruption_in",
    "is_configured",
    "is_provider_error",
    "preload",
    "structured_format",
]
