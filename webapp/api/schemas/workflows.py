"""The workflow catalog."""

from __future__ import annotations

from pydantic import Field

from .common import ResponseModel


class WorkflowSlot(ResponseModel):
    slot_id: str = Field(examples=["post_id"])
    type: str = Field(description="text, choice, choices (several of options) or post_id.")
    description: str
    required: bool
    options: list[str] | None = Field(
        None, description="The values a choice or choices slot takes (null otherwise)."
    )


class WorkflowOut(ResponseModel):
    spec_id: str = Field(
        examples=["campaign_pack"], description="The `workflow` of POST /posts/generate."
    )
    name: str
    description: str
    channels: list[str] = Field(description="The channels of the posts it writes.")
    required_slots: list[WorkflowSlot] = Field(description="The slots it takes, by slot_id.")
    supported_input_formats: list[str] = Field(description="The source file types it draws on.")
    supports_outline_review: bool = Field(
        description="Whether review_outline may pause it after its outline."
    )


class WorkflowCatalog(ResponseModel):
    workflows: list[WorkflowOut]
    total: int
