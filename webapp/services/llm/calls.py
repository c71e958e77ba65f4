"""Calls to a model through litellm: lazy import and warm-up, streaming, fallbacks and
retries, and the tokens and cost of each call."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .failures import LLMError, backoff, describe, interruption_in, is_provider_error

log = logging.getLogger(__name__)
_litellm = None
_import_lock = threading.Lock()


@dataclass
class Completion:
    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float


def is_configured(config) -> bool:
    return bool(config.get("LLM_MODEL"))


def preload(config=None) -> None:
    """Import litellm now, and with `config` warm it up for the configured model (the
    worker's parent calls this once, before any fork)."""
    litellm = _load()
    if config is not None and is_configured(config):
        _warm_up(litellm, config["LLM_MODEL"])


def _warm_up(litellm, model: str) -> None:
    """litellm imports much of itself on its first call (token counting, pricing, the
    provider's request path): seconds that every forked work horse would pay again. One
    plain and one streamed call with a canned answer (no network) pay them here."""
    messages = [{"role": "user", "content": "warm-up"}]
    try:
        litellm.completion(model=model, messages=messages, mock_response="ok", api_key="-")
        for _ in litellm.completion(
            model=model, messages=messages, mock_response="ok", api_key="-", stream=True
        ):
            pass
        _cost(
            litellm,
            model,
            _count(litellm, model, messages=messages),
            _count(litellm, model, text="ok"),
        )
    except Exception:  # a failed warm-up only costs the first job its time
        log.warning("litellm warm-up for %s failed", model, exc_info=True)


def _load():
    global _litellm
    with _import_lock:
        if _litellm is None:
            os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
            os.environ.setdefault("LITELLM_TELEMETRY", "False")
            import litellm

            litellm.telemetry = False
            litellm.suppress_debug_info = True
            # litellm logs every call at INFO; our own lines say what matters.
            logging.getLogger("LiteLLM").setLevel(logging.WARNING)
            litellm.drop_params = True
            # We keep no litellm callbacks; its per-chunk logging hand-off to a thread
            # pool cost a third of the CPU of every streamed chunk.
            litellm.disable_streaming_logging = True
            _litellm = litellm
    return _litellm


def complete(
    messages: list[dict],
    *,
    max_tokens: int,
    config,
    temperature: float = 0.7,
    on_delta: Callable[[str], None] | None = None,
    on_restart: Callable[[], None] | None = None,
    response_format: dict | None = None,
    json_schema: dict | None = None,
) -> Completion:
    """One completion, streamed to `on_delta` when given. Retries retryable failures with
    exponential backoff, then tries LLM_FALLBACK_MODELS; raises LLMError at the end.

    `json_schema` (`{"name", "schema"}`) asks each model for JSON in the strongest way it
    takes (see `structured_format`); the caller still validates the answer."""
    models = [config["LLM_MODEL"], *config.get("LLM_FALLBACK_MODELS", [])]
    attempts, last = 0, None
    for model in models:
        answer_format = response_format
        if json_schema and not answer_format:
            answer_format = structured_format(model, json_schema)
        for attempt in range(int(config.get("LLM_MAX_RETRIES", 3)) + 1):
            if attempts and on_restart:
                on_restart()
            attempts += 1
            try:
                return _call(
                    model, messages, max_tokens, config, temperature, on_delta, answer_format
                )
            except Exception as exc:
                interrupt = interruption_in(exc)
                if interrupt is not None:
                    raise interrupt from None
                if not is_provider_error(exc):
                    raise  # our own bug: never retried
                last = describe(exc, config)
                log.warning("model %s attempt %d failed: %s", model, attempt + 1, last.message)
                if not last.retryable:
                    raise last from exc
                if attempt < int(config.get("LLM_MAX_RETRIES", 3)):
                    time.sleep(backoff(attempt, config, exc))
    tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    raise LLMError(
        f"{last.message} The model kept failing after {tries}; nothing was charged.", retryable=True
    )


def structured_format(model: str, json_schema: dict) -> dict | None:
    """The `response_format` for a JSON answer following `json_schema` from `model`: the
    schema itself where litellm says the model supports response schemas, plain JSON mode
    where the provider takes a response_format (an unknown OpenAI-compatible model), else
    None (the prompt's instructions alone)."""
    litellm = _load()
    if litellm.supports_response_schema(model=model):
        return {"type": "json_schema", "json_schema": {**json_schema, "strict": True}}
    try:
        params = litellm.get_supported_openai_params(model=model) or []
    except Exception:  # a model litellm cannot place: instructions only
        params = []
    return {"type": "json_object"} if "response_format" in params else None


def _call(model, messages, max_tokens, config, temperature, on_delta, response_format):
    litellm = _load()
    options = {
        "model": model,
        "messages": messages,
        "max_tokens": max_tokens,
        "temperature": temperature,
        "timeout": float(config["LLM_TIMEOUT_SECONDS"]),
        "num_retries": 0,
        "max_retries": 0,
    }
    if config.get("LLM_API_BASE"):
        options["api_base"] = config["LLM_API_BASE"]
    if config.get("LLM_API_KEY"):
        options["api_key"] = config["LLM_API_KEY"]
    if response_format:
        options["response_format"] = response_format
    if on_delta is None:
        response = litellm.completion(**options)
        text = response.choices[0].message.content or ""
        usage = getattr(response, "usage", None)
        return _completion(litellm, model, messages, text, usage, response)
    return _stream(litellm, model, messages, options, on_delta)


def _stream(litellm, model, messages, options, on_delta) -> Completion:
    pieces, usage, finished = [], None, False
    stream = litellm.completion(**options, stream=True, stream_options={"include_usage": True})
    for chunk in stream:
        if getattr(chunk, "usage", None):
            usage = chunk.usage
        for choice in chunk.choices or []:
            delta = getattr(choice.delta, "content", None)
            if delta:
                pieces.append(delta)
                on_delta(delta)
            finished = finished or bool(getattr(choice, "finish_reason", None))
        if finished and usage is not None:
            # The usage chunk after the finish is the last; asking litellm for the end of
            # the stream would rebuild the whole response a second time (~10 ms per call).
            break
    _close(stream)
    return _completion(litellm, model, messages, "".join(pieces), usage, None)


def _close(stream) -> None:
    close = getattr(stream, "close", None)
    if callable(close):
        try:
            close()
        except Exception:  # the answer is complete; a close that fails loses nothing
            log.debug("closing a finished stream failed", exc_info=True)


def _completion(litellm, model, messages, text, usage, response) -> Completion:
    prompt_tokens = getattr(usage, "prompt_tokens", 0) or 0
    completion_tokens = getattr(usage, "completion_tokens", 0) or 0
    if not prompt_tokens:
        prompt_tokens = _count(litellm, model, messages=messages)
    if not completion_tokens:
        completion_tokens = _count(litellm, model, text=text)
    return Completion(
        text=text,
        model=model,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        cost_usd=_cost(litellm, model, prompt_tokens, completion_tokens),
    )


def _count(litellm, model, **what) -> int:
    try:
        return int(litellm.token_counter(model=model, **what))
    except Exception:
        return 0


def _cost(litellm, model, prompt_tokens, completion_tokens) -> float:
    """Priced from litellm's local cost map; 0.0 for models it does not know."""
    try:
        prompt, completion = litellm.cost_per_token(
            model=model, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens
        )
        return float(prompt + completion)
    except Exception:
        return 0.0
