"""The generation form: a format first (a workflow of the catalog, or the blog-post
workflow with one of its short channels: "X thread" is `blog_post:twitter`), the brief, and
the chosen workflow's slots (one sub-form per workflow that has slots, its fields named
`<workflow>-<slot_id>`)."""

from dataclasses import dataclass
from typing import ClassVar

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    Form,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import ChoiceField, RadioChoiceField, at_most
from ..services.plans import ALL_VOICES
from ..services.workflows.catalog import CATALOG, SlotSpec, WorkflowSpec
from ..vocabulary import Channel, SlotType, Voice, Workflow
from ..vocabulary import Length as TargetLength

LENGTH_CHOICES = [
    (TargetLength.SHORT, "Short · 800–1,200 words"),
    (TargetLength.MEDIUM, "Medium · 1,500–2,000 words"),
    (TargetLength.LONG, "Long · 2,500–3,500 words"),
]
BUILT_IN_VOICE_CHOICES = [(v.value, v.replace("_", " ").title()) for v in ALL_VOICES]
CHANNEL_LABELS = {
    Channel.BLOG: "Blog post",
    Channel.SOCIAL: "Social post",
    Channel.EMAIL: "Email newsletter",
    Channel.TWITTER: "X / Twitter thread",
    Channel.LINKEDIN: "LinkedIn post",
}
# Labels of the catalog's slots on the form; another slot is labelled by its id.
SLOT_LABELS = {
    "audience": "Audience",
    "changes": "Changelog or pull-request text",
    "version": "Version number",
    "post_id": "Post to repurpose",
    "channels": "Channels to write for",
}
LONG_TEXT = 500  # a text slot that may be longer than this gets a textarea
# Channels a length in words means nothing to a marketer for: the writer scales them.
SHORT_CHANNELS = (Channel.TWITTER, Channel.LINKEDIN, Channel.SOCIAL)


@dataclass(frozen=True)
class Format:
    """An entry of the form's first choice: a workflow, with a channel for a blog post's
    short formats (`value` is then `blog_post:<channel>`)."""

    value: str
    name: str
    description: str
    spec: WorkflowSpec
    channel: str | None = None

    @property
    def workflow(self) -> str:
        return self.spec.spec_id

    @property
    def takes_length(self) -> bool:
        return self.channel not in SHORT_CHANNELS

    @property
    def supports_outline_review(self) -> bool:
        return self.spec.supports_outline_review


def blog_format(channel: Channel, name: str, description: str) -> Format:
    blog = CATALOG[Workflow.BLOG_POST]
    return Format(f"{blog.spec_id}:{channel}", name, description, blog, channel)


FORMATS = [
    Format(
        Workflow.BLOG_POST,
        "Blog post",
        "One long post from your topic and sources: an outline first, then each section.",
        CATALOG[Workflow.BLOG_POST],
    ),
    blog_format(Channel.TWITTER, "X thread", "A thread of short posts for X, ready to paste."),
    blog_format(Channel.LINKEDIN, "LinkedIn post", "One post for LinkedIn, in plain text."),
    blog_format(Channel.SOCIAL, "Social post", "A short post for any social network."),
    *(
        Format(spec.spec_id, spec.name, spec.description.replace("`", ""), spec)
        for spec in CATALOG.values()
        if spec.spec_id != Workflow.BLOG_POST
    ),
]
FORMATS_BY_VALUE = {f.value: f for f in FORMATS}


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TopicRequired:
    """A topic, unless the chosen workflow takes it from elsewhere (a repurposed post)."""

    field_flags: ClassVar[dict] = {"required": True}

    def __call__(self, form, field):
        if not form.spec.topic_optional and not (field.data or "").strip():
            raise StopValidation("Give the post a topic.")


def slot_field(slot: SlotSpec) -> Field:
    """The form field of a workflow slot; choices of a post_id slot come per request."""
    label = SLOT_LABELS.get(slot.slot_id, slot.slot_id.replace("_", " ").capitalize())
    label += "" if slot.required else " (optional)"
    if slot.type == SlotType.CHOICES:
        choices = [(o, CHANNEL_LABELS.get(o, o)) for o in slot.options or ()]
        return CheckboxList(
            label, choices=choices, validate_choice=False, description=slot.description
        )
    if slot.type in (SlotType.CHOICE, SlotType.POST_ID):
        choices = [(o, CHANNEL_LABELS.get(o, o)) for o in slot.options or ()]
        return SelectField(
            label, choices=choices, validate_choice=False, description=slot.description
        )
    field = TextAreaField if slot.max_length > LONG_TEXT else StringField
    return field(label, description=slot.description)


def slots_form(spec: WorkflowSpec) -> type[Form]:
    fields = {slot.slot_id: slot_field(slot) for slot in spec.required_slots}
    return type(f"{spec.spec_id.title().replace('_', '')}Slots", (Form,), fields)


class GenerateForm(FlaskForm):
    # The service checks the workflow (its message names the valid ones).
    workflow = RadioField(
        "What to write",
        choices=[(f.value, f.name) for f in FORMATS],
        default=Workflow.BLOG_POST,
        validate_choice=False,
    )
    topic = StringField(
        "Topic",
        validators=[TopicRequired(), at_most(200, "A topic")],
        description="What the post is about, up to 200 characters.",
    )
    voice = ChoiceField(
        "Voice",
        invalid="Choose one of the voices offered.",
        choices=BUILT_IN_VOICE_CHOICES,  # the workspace's brand voices join per request
        default=Voice.PROFESSIONAL,
    )
    target_length = RadioChoiceField(
        "Length",
        invalid="Choose short, medium or long.",
        choices=LENGTH_CHOICES,
        default=TargetLength.MEDIUM,
        description="Threads and social posts size themselves to their platform.",
    )
    # Not on the page (the format picks it); a blog post's channel sent by an older page.
    channel = SelectField(
        "Format", choices=list(CHANNEL_LABELS.items()), default=Channel.BLOG, validate_choice=False
    )
    custom_instructions = TextAreaField(
        "Instructions (optional)",
        validators=[at_most(2000, "The instructions")],
        description="Anything the writer should do, up to 2,000 characters.",
    )
    source_ids = CheckboxList("Sources", choices=[], validate_choice=False)
    review_outline = BooleanField(
        "Review the outline before writing",
        description="The job stops after the outline: rename, reorder, add or remove its "
        "sections, then let it write.",
    )

    @property
    def format(self) -> Format:
        """The chosen format (a blog post when the choice is not one); `blog_post` with a
        short `channel` sent along is that channel's format."""
        value = self.workflow.data
        if value == Workflow.BLOG_POST and self.channel.data in SHORT_CHANNELS:
            value = f"{value}:{self.channel.data}"
        return FORMATS_BY_VALUE.get(value) or FORMATS_BY_VALUE[Workflow.BLOG_POST]

    @property
    def spec(self) -> WorkflowSpec:
        """The chosen workflow (a blog post when the choice is not in the catalog)."""
        return self.format.spec

    @property
    def workflow_id(self) -> str:
        """The workflow the service is asked for (an unknown choice as sent, for its error)."""
        value = self.workflow.data or Workflow.BLOG_POST
        return self.format.workflow if value in FORMATS_BY_VALUE else value

    @property
    def channel_value(self) -> str:
        """The channel a blog post is written for: its format's, or the one sent."""
        return self.format.channel or self.channel.data or Channel.BLOG

    @property
    def length_value(self) -> str:
        """The length asked for; the default where the format takes none."""
        return self.target_length.data if self.format.takes_length else TargetLength.MEDIUM

    def choose(self, workflow: str | None) -> None:
        """Show the form for `workflow` (?workflow= of a page without JavaScript)."""
        if workflow in FORMATS_BY_VALUE:
            self.workflow.data = workflow

    def prefill(self, post, source_ids: list[str]) -> None:
        """Ask again for what `post` was asked: its brief, its format (one post of its
        channel: a campaign's or a repurposed post is regenerated on its own) and those of
        `source_ids` (the ones offered) it was written from."""
        self.topic.data = post.topic
        self.voice.data = post.voice
        self.target_length.data = post.target_length
        self.custom_instructions.data = post.custom_instructions
        self.source_ids.data = [i for i in post.source_ids if i in source_ids]
        self.workflow.data = format_of(post.workflow, post.channel)

    def slot_fields(self, workflow: str | None = None) -> dict[str, Field]:
        """{slot_id: field} of `workflow` (the chosen one by default)."""
        slots = getattr(self, workflow or self.spec.spec_id, None)
        return dict(slots.form._fields) if isinstance(slots, FormField) else {}

    def slot_values(self) -> dict:
        """The chosen workflow's slots as the service takes them ({slot_id: value})."""
        return {slot_id: field.data for slot_id, field in self.slot_fields().items()}

    def set_post_choices(self, posts: list[tuple[str, str]]) -> None:
        """The posts a post_id slot may name: (id, topic) of the project's completed ones."""
        for spec in CATALOG.values():
            for slot in spec.required_slots:
                if slot.type == SlotType.POST_ID:
                    field = self.slot_fields(spec.spec_id)[slot.slot_id]
                    field.choices = [("", "Choose a post…"), *posts]

    def field_at(self, loc) -> Field | None:
        """The field a service error's `loc` names: ["body", "slots", slot_id, ...] is
        the chosen workflow's slot, ["body", name] a field of the form."""
        loc = [str(part) for part in loc]
        if loc[:2] == ["body", "slots"] and len(loc) > 2:
            return self.slot_fields().get(loc[2])
        if loc[:1] == ["body"] and len(loc) > 1 and loc[1] in self._fields:
            return self._fields[loc[1]]
        return None


def format_of(workflow: str, channel: str) -> str:
    """The format that writes one post like a post of `workflow` and `channel`."""
    if workflow in (Workflow.NEWSLETTER, Workflow.RELEASE_NOTES):
        return workflow
    if channel == Channel.EMAIL:
        return Workflow.NEWSLETTER
    value = f"{Workflow.BLOG_POST}:{channel}"
    return value if value in FORMATS_BY_VALUE else Workflow.BLOG_POST


for _spec in CATALOG.values():
    if _spec.required_slots:
        setattr(GenerateForm, _spec.spec_id, FormField(slots_form(_spec), label=_spec.name))
