"""The workflow catalog (`GET /workflows/catalog`): the content jobs a generation request
may name, what each produces and the slots it takes (reference 002's catalog items).

Each spec says which posts a job writes (`plan_posts`): one for most, four for a campaign
pack (the blog post first: the others are written from its sections), one per channel
asked for when repurposing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import ValidationFailed
from ...vocabulary import Channel, FileType, SlotType, Workflow

DOCUMENT_INPUTS = (FileType.PDF, FileType.DOCX, FileType.MD, FileType.TXT, FileType.URL)
REPURPOSE_CHANNELS = (
    Channel.TWITTER,
    Channel.LINKEDIN,
    Channel.EMAIL,
    Channel.SOCIAL,
    Channel.BLOG,
)
# A release note's own outline: what changed, for whom, how to upgrade.
RELEASE_NOTES_SECTIONS = (
    ("What changed", ("New features, improvements and fixes, most important first",)),
    ("Who it affects", ("Which users, plans or integrations notice the change",)),
    ("How to upgrade", ("The steps to take, and anything that breaks",)),
)


@dataclass(frozen=True)
class SlotSpec:
    slot_id: str
    type: SlotType
    description: str
    options: tuple[str, ...] | None = None
    required: bool = True
    max_length: int = 20_000

    def public(self) -> dict:
        entry = {
            "slot_id": self.slot_id,
            "type": self.type,
            "description": self.description,
            "required": self.required,
        }
        if self.options is not None:
            entry["options"] = list(self.options)
        return entry


@dataclass(frozen=True)
class WorkflowSpec:
    spec_id: Workflow
    name: str
    description: str
    channels: tuple[Channel, ...]
    required_slots: tuple[SlotSpec, ...]
    supported_input_formats: tuple[str, ...]
    supports_outline_review: bool
    # Whether `channel` of the request picks the one channel written (blog_post only).
    takes_channel: bool = False
    # Whether the request's `topic` may be left out (repurpose: the post's own topic).
    topic_optional: bool = False

    def public(self) -> dict:
        return {
            "spec_id": self.spec_id,
            "name": self.name,
            "description": self.description,
            "channels": list(self.channels),
            "required_slots": [slot.public() for slot in self.required_slots],
            "supported_input_formats": list(self.supported_input_formats),
            "supports_outline_review": self.supports_outline_review,
        }

    def slot(self, slot_id: str) -> SlotSpec | None:
        return next((s for s in self.required_slots if s.slot_id == slot_id), None)


CATALOG: dict[str, WorkflowSpec] = {
    spec.spec_id: spec
    for spec in (
        WorkflowSpec(
            Workflow.BLOG_POST,
            "Blog post",
            "One post from your topic and sources: an outline first, then each section. "
            "Its format (`channel`) may also be a newsletter, a social post, an X thread "
            "or a LinkedIn post.",
            tuple(Channel),
            (),
            DOCUMENT_INPUTS,
            supports_outline_review=True,
            takes_channel=True,
        ),
        WorkflowSpec(
            Workflow.CAMPAIGN_PACK,
            "Campaign pack",
            "One brief becomes a blog post, an X thread, a LinkedIn post and a newsletter; "
            "the thread, the LinkedIn post and the newsletter are written from the blog "
            "post's sections. Uses four posts of the monthly quota.",
            (Channel.BLOG, Channel.TWITTER, Channel.LINKEDIN, Channel.EMAIL),
            (),
            DOCUMENT_INPUTS,
            supports_outline_review=True,
        ),
        WorkflowSpec(
            Workflow.NEWSLETTER,
            "Newsletter",
            "An email newsletter with a subject line and preheader, from your topic and sources.",
            (Channel.EMAIL,),
            (
                SlotSpec(
                    "audience",
                    SlotType.TEXT,
                    "Who receives it (e.g. 'customers on the free plan').",
                    required=False,
                    max_length=200,
                ),
            ),
            DOCUMENT_INPUTS,
            supports_outline_review=True,
        ),
        WorkflowSpec(
            Workflow.RELEASE_NOTES,
            "Release notes",
            "What changed, for whom and how to upgrade, from changelog or pull-request "
            "text: paste it in (the `changes` slot) or choose it as a source.",
            (Channel.BLOG,),
            (
                SlotSpec(
                    "changes",
                    SlotType.TEXT,
                    "The changelog or pull-request text (optional when a source holds it).",
                    required=False,
                ),
                SlotSpec(
                    "version",
                    SlotType.TEXT,
                    "The version being released (e.g. '2.4.0').",
                    required=False,
                    max_length=50,
                ),
            ),
            (FileType.MD, FileType.TXT, FileType.PDF, FileType.DOCX, FileType.URL),
            supports_outline_review=True,
        ),
        WorkflowSpec(
            Workflow.REPURPOSE,
            "Repurpose a post",
            "An existing post of the project, rewritten for other channels (one new post "
            "per channel).",
            REPURPOSE_CHANNELS,
            (
                SlotSpec("post_id", SlotType.POST_ID, "The completed post to repurpose."),
                SlotSpec(
                    "channels",
                    SlotType.CHOICES,
                    "The channels to write it for (one post each).",
                    options=tuple(REPURPOSE_CHANNELS),
                ),
            ),
            (),
            supports_outline_review=False,
            topic_optional=True,
        ),
    )
}


def catalog() -> list[dict]:
    """Every workflow as the catalog endpoint lists it."""
    return [spec.public() for spec in CATALOG.values()]


def get_spec(workflow: str | None) -> WorkflowSpec:
    """The spec of `workflow` (blog_post when None); VALIDATION_ERROR at
    ["body", "workflow"] naming the valid ones otherwise."""
    spec = CATALOG.get(workflow or Workflow.BLOG_POST)
    if spec is None:
        valid = ", ".join(CATALOG)
        message = f"Unknown workflow {str(workflow)[:60]!r}; choose one of: {valid}."
        raise ValidationFailed.at("workflow", message, "enum")
    return spec
