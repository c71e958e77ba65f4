"""Brand voices, and the catalogue of every voice a workspace's posts may use."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...services import voices as limits
from ...vocabulary import PlanName
from .common import PageQuery, QueryModel, RequestModel, ResponseModel, UtcDatetime, one_of, trimmed

VoiceNameText = Annotated[
    trimmed(1, limits.NAME_MAX),
    Field(description="Unique in the workspace, whatever the case; not a built-in voice's name."),
]
Description = Annotated[
    trimmed(1, limits.DESCRIPTION_MAX), Field(description="The tone, in your own words.")
]
Rules = Annotated[
    list[trimmed(1, limits.RULE_MAX)],
    Field(max_length=limits.RULES_MAX, description="Short rules, up to 10 of 200 characters."),
]
Examples = Annotated[
    list[trimmed(1, limits.EXAMPLE_MAX)],
    Field(
        max_length=limits.EXAMPLES_MAX,
        description="Up to 3 passages (2,000 characters each) written in the voice.",
    ),
]


class VoiceCreate(RequestModel):
    name: VoiceNameText
    description: Description
    dos: Rules = Field(default_factory=list)
    donts: Rules = Field(default_factory=list)
    examples: Examples = Field(default_factory=list)


class VoiceUpdate(RequestModel):
    """The fields sent are changed (lists are replaced whole)."""

    name: VoiceNameText = None
    description: Description = None
    dos: Rules = None
    donts: Rules = None
    examples: Examples = None


class VoiceOut(ResponseModel):
    id: str
    voice: str = Field(description="How a generation request names it: custom:<id>.")
    workspace_id: str
    name: str
    description: str
    dos: list[str]
    donts: list[str]
    examples: list[str]
    created_by: str | None
    created_at: UtcDatetime
    updated_at: UtcDatetime


class VoiceList(ResponseModel):
    voices: list[VoiceOut]
    total: int


class VoiceListQuery(PageQuery):
    pass


class CatalogueQuery(QueryModel):
    workspace_id: str | None = Field(
        None, max_length=64, description="A workspace of the caller's (default: personal)."
    )


class CatalogueEntry(ResponseModel):
    id: str = Field(description="What a generation request sends as `voice`.")
    name: str
    kind: Literal["built_in", "custom"]
    min_plan: one_of(PlanName) = Field(description="The lowest plan that has the voice.")
    available: bool = Field(description="On the plan the workspace runs on (its owner's).")


class Catalogue(ResponseModel):
    voices: list[CatalogueEntry]
    total: int
