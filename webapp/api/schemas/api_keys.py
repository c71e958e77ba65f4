"""API keys."""

from __future__ import annotations

from pydantic import Field

from ...vocabulary import KeyMode
from .common import RequestModel, ResponseModel, UtcDatetime, one_of, trimmed


class ApiKeyCreate(RequestModel):
    name: trimmed(1, 100) = "API key"
    mode: one_of(KeyMode) = Field(KeyMode.LIVE, description="test keys never charge quota")


class ApiKeyOut(ResponseModel):
    id: str
    name: str
    mode: str
    prefix: str = Field(description="The visible start of the key, to recognise it.")
    request_count: int
    last_used_at: UtcDatetime | None
    created_at: UtcDatetime


class CreatedApiKey(ApiKeyOut):
    key: str = Field(description="The secret. Shown once: it cannot be retrieved again.")


class ApiKeyList(ResponseModel):
    api_keys: list[ApiKeyOut]
    total: int
