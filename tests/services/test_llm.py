"""The LLM layer (webapp/services/llm/) for real through litellm, against the loopback
OpenAI-compatible server of tests/llm_server.py: plain and streamed completions, usage,
retries with backoff on 429/5xx/timeouts, no retry on refused credentials, fallback
models, and the backoff schedule."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from webapp.services import llm

MESSAGES = [
    {"role": "system", "content": "You write marketing copy."},
    {"role": "user", "content": "Write about 40 words on weekly newsletters."},
]


@pytest.fixture
def config(llm_server):
    return {
        "LLM_MODEL": "openai/fake-model",
        "LLM_API_BASE": llm_server.url,
        "LLM_API_KEY": "sk-fake",
        "LLM_TIMEOUT_SECONDS": 5,
        "LLM_MAX_RETRIES": 2,
        "LLM_RETRY_BASE_SECONDS": 0.01,
        "LLM_FALLBACK_MODELS": [],
    }


def expected_usage(text: str) -> tuple[int, int]:
    """The token counts the fake server reports for MESSAGES and its reply `text`."""
    return len(json.dumps(MESSAGES)) // 4, len(text.split()) * 4 // 3


def complete(config, **options) -> llm.Completion:
    return llm.complete(MESSAGES, max_tokens=200, config=config, **options)


def models_asked(llm_server) -> list[str]:
    return [body["model"] for body in llm_server.requests]


def test_plain_completion_returns_text_usage_and_model(config, llm_server):
    result = complete(config)
    assert 35 <= len(result.text.split()) <= 45
    assert (result.prompt_tokens, result.completion_tokens) == expected_usage(result.text)
    assert result.model == "openai/fake-model" and result.cost_usd == 0.0
    assert len(llm_server.requests) == 1
    sent = llm_server.requests[0]
    assert sent["messages"] == MESSAGES and sent["max_tokens"] == 200 and not sent.get("stream")


def test_streaming_sends_pieces_that_join_to_the_text_and_records_usage(config, llm_server):
    pieces = []
    result = complete(config, on_delta=pieces.append)
    assert len(pieces) > 1 and "".join(pieces) == result.text
    assert 35 <= len(result.text.split()) <= 45
    assert (result.prompt_tokens, result.completion_tokens) == expected_usage(result.text)
    assert llm_server.requests[0]["stream"] is True


def test_rate_limit_is_retried_once_after_its_retry_after(config, llm_server):
    llm_server.fail_next(429, retry_after=0.3)
    events = []
    started = time.monotonic()
    result = complete(
        config,
        on_delta=lambda piece: events.append("delta"),
        on_restart=lambda: events.append("restart"),
    )
    assert time.monotonic() - started >= 0.3
    assert result.text and len(llm_server.requests) == 2
    assert events[0] == "restart" and events.count("restart") == 1 and "delta" in events


def test_server_errors_beyond_the_retries_fail_readably(config, llm_server):
    llm_server.fail_next(500, times=5)
    restarts = []
    with pytest.raises(llm.LLMError) as failure:
        complete(config, on_restart=lambda: restarts.append(1))
    assert len(llm_server.requests) == 3 and len(restarts) == 2
    assert "HTTP 500" in failure.value.message and "3 attempts" in failure.value.message
    assert failure.value.retryable is True and str(failure.value) == failure.value.message


def test_refused_credentials_fail_at_once_without_retrying(config, llm_server):
    llm_server.fail_next(401, times=3)
    with pytest.raises(llm.LLMError) as failure:
        complete({**config, "LLM_FALLBACK_MODELS": ["openai/backup-model"]})
    assert len(llm_server.requests) == 1
    assert "LLM_API_KEY" in failure.value.message and failure.value.retryable is False


def test_a_hanging_model_times_out(config, llm_server):
    llm_server.hang_next(3, times=2)
    started = time.monotonic()
    with pytest.raises(llm.LLMError) as failure:
        complete({**config, "LLM_TIMEOUT_SECONDS": 0.5, "LLM_MAX_RETRIES": 1})
    assert time.monotonic() - started < 2.5
    assert "timed out after 0.5 s" in failure.value.message
    assert "2 attempts" in failure.value.message and failure.value.retryable
    assert len(llm_server.requests) == 2


def test_a_single_attempt_is_not_reported_as_plural(config, llm_server):
    llm_server.fail_next(503)
    with pytest.raises(llm.LLMError) as failure:
        complete({**config, "LLM_MAX_RETRIES": 0})
    assert "after 1 attempt;" in failure.value.message


def test_fallback_models_are_tried_after_the_main_model_keeps_failing(config, llm_server):
    llm_server.fail_next(503, times=3)
    fallbacks = ["openai/backup-model", "openai/last-resort"]
    result = complete({**config, "LLM_FALLBACK_MODELS": fallbacks})
    assert result.model == "openai/backup-model" and result.text
    assert models_asked(llm_server) == ["fake-model"] * 3 + ["backup-model"]


def test_every_model_failing_counts_all_attempts(config, llm_server):
    llm_server.fail_next(502, times=6)
    with pytest.raises(llm.LLMError) as failure:
        complete({**config, "LLM_MAX_RETRIES": 1, "LLM_FALLBACK_MODELS": ["openai/b"]})
    assert models_asked(llm_server) == ["fake-model", "fake-model", "b", "b"]
    assert "HTTP 502" in failure.value.message and "4 attempts" in failure.value.message


def rate_limited(retry_after: str) -> Exception:
    error = Exception("rate limited")
    error.response = httpx.Response(429, headers={"Retry-After": retry_after})
    return error


def test_backoff_grows_exponentially_with_a_little_jitter():
    config = {"LLM_RETRY_BASE_SECONDS": 0.5}
    for attempt in range(5):
        delay = llm.backoff(attempt, config)
        assert 0.5 * 2**attempt <= delay <= 0.5 * 2**attempt * 1.25


def test_backoff_honours_retry_after_within_a_cap():
    config = {"LLM_RETRY_BASE_SECONDS": 1.0}
    assert llm.backoff(3, config, rate_limited("2")) == 2.0
    assert llm.backoff(0, config, rate_limited("3600")) == llm.RETRY_AFTER_CAP_SECONDS


@pytest.mark.parametrize("header", ["-5", "nan", "Wed, 21 Oct 2015 07:28:00 GMT"])
def test_backoff_ignores_a_retry_after_it_cannot_sleep_on(header):
    delay = llm.backoff(1, {"LLM_RETRY_BASE_SECONDS": 1.0}, rate_limited(header))
    assert 2.0 <= delay <= 2.5


SCHEMA = {"name": "answer", "schema": {"type": "object", "properties": {}}}


def test_structured_output_is_asked_for_as_each_model_takes_it():
    assert llm.structured_format("openai/gpt-4o-mini", SCHEMA) == {
        "type": "json_schema",
        "json_schema": {**SCHEMA, "strict": True},
    }
    # An OpenAI-compatible model litellm has no facts about: JSON mode.
    assert llm.structured_format("openai/fake-model", SCHEMA) == {"type": "json_object"}
    # A model litellm cannot place at all: the prompt's instructions only.
    assert llm.structured_format("no-such-provider-model", SCHEMA) is None


def test_a_fallback_model_gets_the_response_format_it_supports(config, llm_server):
    llm_server.fail_next(503, times=3)
    config = {**config, "LLM_MODEL": "openai/gpt-4o-mini"}
    result = complete({**config, "LLM_FALLBACK_MODELS": ["openai/fake-model"]}, json_schema=SCHEMA)
    assert result.model == "openai/fake-model"
    formats = [body["response_format"]["type"] for body in llm_server.requests]
    assert formats == ["json_schema"] * 3 + ["json_object"]
    assert llm_server.requests[0]["response_format"]["json_schema"]["name"] == "answer"
