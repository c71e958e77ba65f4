"""API keys."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import RequestModel, ResponseModel, UtcDatetime, trimmed


class ApiKeyCreate(RequestModel):
    name: trimmed(1, 100) = "API key"
    mode: Literal["live", "test"] = Field("live", description="test keys never charge quota")


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
