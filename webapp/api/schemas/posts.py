"""Posts and generation requests."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AliasChoices,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_serializer,
)

from ...vocabulary import Channel, JobStatus, Length, PostStatus, ReviewStatus, Voice, Workflow
from .common import (
    NO_NUL,
    Metadata,
    PageQuery,
    RequestModel,
    ResponseModel,
    UtcDatetime,
    one_of,
    text,
    values_of,
)

BUILT_IN_VOICES = values_of(Voice)
BRAND_VOICE_PATTERN = r"^custom:[0-9a-f]{24}$"


def _voice_name(value: str) -> str:
    """A built-in voice, or a brand voice as `custom:<id>` (whose workspace and plan the
    service checks)."""
    if value in BUILT_IN_VOICES or re.match(BRAND_VOICE_PATTERN, value):
        return value
    raise ValueError(
        f"Input should be one of {', '.join(BUILT_IN_VOICES)}, or a brand voice as "
        "custom:<voice_id>"
    )


# A voice stays a string: the built-in ones, and brand voices `custom:<id>`.
VoiceName = Annotated[
    str,
    AfterValidator(_voice_name),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "enum": list(BUILT_IN_VOICES)},
                {"type": "string", "pattern": BRAND_VOICE_PATTERN},
            ]
        }
    ),
]
ObjectId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=NO_NUL)]


def _limited_text(maximum: int, description: str, min_length: int = 0):
    """Text whose documented maximum is checked by the service, so that going over it gets
    the reference's own code (TOPIC_TOO_LONG, INSTRUCTIONS_TOO_LONG), not VALIDATION_ERROR."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=200_000, pattern=NO_NUL),
        Field(description=description, json_schema_extra={"maxLength": maximum}),
    ]


WORKFLOW_NAMES = values_of(Workflow)
WorkflowName = Annotated[
    str,
    StringConstraints(max_length=64, pattern=NO_NUL),
    WithJsonSchema({"type": "string", "enum": list(WORKFLOW_NAMES), "default": "blog_post"}),
]


class GenerateRequest(RequestModel):
    project_id: ObjectId
    topic: _limited_text(200, "What to write about (1-200 characters).", min_length=1) | None = (
        Field(
            None,
            description="Required, except with the repurpose workflow (which "
            "defaults to the repurposed post's topic).",
        )
    )
    voice: VoiceName = Field(
        description="free: professional, casual, witty, technical; starter and above: every "
        "built-in voice, and the brand voices of the project's workspace as custom:<voice_id> "
        "(GET /voices lists them)."
    )
    target_length: one_of(Length) = Field(
        Length.MEDIUM,
        description="short 800-1,200 words, medium 1,500-2,000, long 2,500-3,500 (blog and email).",
    )
    custom_instructions: _limited_text(2000, "At most 2,000 characters.") | None = None
    source_ids: list[ObjectId] = Field(
        default_factory=list, max_length=20, description="Parsed sources of the project to draw on."
    )
    channel: one_of(Channel) | None = Field(
        None,
        description="The channel of a blog_post (blog when left out); other workflows "
        "write their own channels, and sending it with them is 400.",
    )
    metadata: Metadata | None = None
    workflow: WorkflowName = Field(
        Workflow.BLOG_POST,
        description="A spec_id of GET /workflows/catalog: blog_post (the default), "
        "campaign_pack, newsletter, release_notes or repurpose.",
    )
    slots: dict[text(1, 64), Any] | None = Field(
        None,
        max_length=20,
        description="The workflow's slots by slot_id (see its required_slots in the catalog).",
    )
    review_outline: bool = Field(
        False,
        description="Pause after the outline (job status slot_needed) so it can be edited "
        "(PATCH /jobs/{id}/slots) and confirmed (POST /jobs/{id}/confirm) before the "
        "posts are written. Long-form posts of workflows that support it only.",
    )


class GenerateAccepted(ResponseModel):
    job_id: str
    status: str = JobStatus.QUEUED
    message: str = "Content generation started. Poll /api/v1/jobs/{job_id} for status."


class PostListQuery(PageQuery):
    limit: int = Field(50, ge=1, le=100, description="Number of results (max 100).")
    status: one_of(PostStatus) | None = Field(None, description="Filter by status.")
    review_status: one_of(ReviewStatus) | None = Field(None, description="Filter by review status.")


class InsertedLink(ResponseModel):
    target_url: str
    anchor_text: str
    keyword: str


class PostWarningOut(ResponseModel):
    code: str = Field(description="SHORT_OF_TARGET, VOICE_NEEDS_MODEL or NO_SOURCES.")
    message: str


class PostSummary(ResponseModel):
    id: str
    project_id: str
    topic: str
    voice: str
    channel: str
    target_length: str
    status: str
    review_status: str
    word_count: int | None
    model: str | None
    created_at: UtcDatetime


class PostOut(PostSummary):
    user_id: str
    job_id: str | None
    workflow: str = Field(description="The workflow that wrote it (blog_post, campaign_pack, ...).")
    position: int = Field(
        description="Its place among the posts of its job (0: the main one, a campaign's "
        "blog post)."
    )
    custom_instructions: str | None
    source_ids: list[str]
    metadata: dict[str, str] = Field(validation_alias=AliasChoices("metadata_", "metadata"))
    content: dict | None = Field(
        description="The channel's content object: title, markdown "
        "and word_count always; blog/social: introduction, sections, "
        "conclusion, meta_description, meta_keywords; twitter: "
        "thread; linkedin: text; email: subject, preheader, body. Every "
        'channel: kind ("draft" or "outline") and citations [{n, source_id, '
        "source_name, quote, location: {page, paragraph}}], which the text's "
        "[n] markers point at (twitter and linkedin carry no markers)."
    )
    warnings: list[PostWarningOut] = Field(
        description="What the writer could not do; empty when nothing."
    )
    links: list[InsertedLink]
    error_message: str | None
    item_version: int = Field(
        description="1 when generation completes; up by 1 on each content change only."
    )
    approved_version: int | None = Field(
        description="The item_version the last approval was of (kept after later edits)."
    )
    approved_by: str | None = Field(description="Who gave the last approval (a user id).")
    approved_at: UtcDatetime | None
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    updated_at: UtcDatetime

    @field_serializer("cost_usd")
    def _cost(self, value: float) -> float:
        return round(float(value), 6)


class PostList(ResponseModel):
    posts: list[PostSummary]
    total: int


def _edit_text(documented_max: int):
    """Edited text: its documented maximum is checked by the service, so that going over
    it is the issue's answer (413 for a post over 200,000 characters; 400 at the thread
    item over 280), not a generic VALIDATION_ERROR."""
    return Annotated[
        str,
        StringConstraints(max_length=1_000_000, pattern=NO_NUL),
        Field(json_schema_extra={"maxLength": documented_max}),
    ]


class ContentEdit(RequestModel):
    """A channel's source of truth: markdown (blog, social, email; its first `# ` line is
    the title), subject and preheader (email), thread (twitter, each post at most 280
    characters) or text (linkedin, at most 3,000). Other fields are derived: 400."""

    markdown: _edit_text(200_000) | None = None
    subject: _edit_text(200) | None = None
    preheader: _edit_text(300) | None = None
    thread: (
        Annotated[
            list[_edit_text(280)],
            Field(max_length=1000, json_schema_extra={"maxItems": 100, "minItems": 1}),
        ]
        | None
    ) = None
    text: _edit_text(3000) | None = None


PostTitle = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=NO_NUL)]


class PostEdit(RequestModel):
    item_version: int = Field(
        ge=1, le=2_000_000_000, description="The version the edit was made from."
    )
    title: PostTitle | None = None
    content: ContentEdit | None = None
