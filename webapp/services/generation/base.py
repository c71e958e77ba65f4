"""What every writer works from and hands back.

A writer (the LLM writer or the offline writer) turns a `Brief` and the selected sources
into a `Draft`; the pipeline then fits it to the length target, shapes it for the channel
and inserts internal links. Writers report the text as they write it through a
`DraftSink`, so the job page can show it appearing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ...vocabulary import Channel, ContentKind, Length, Voice
from ..llm import Interrupt

# Words of the whole post, per target length, for long-form channels (blog, email).
WORD_RANGES = {Length.SHORT: (800, 1200), Length.MEDIUM: (1500, 2000), Length.LONG: (2500, 3500)}
# Body sections (besides introduction and conclusion) an outline asks for.
SECTION_COUNTS = {Length.SHORT: 4, Length.MEDIUM: 5, Length.LONG: 6}
LONG_FORM_CHANNELS = (Channel.BLOG, Channel.EMAIL)
SHORT_FORM_CHANNELS = (Channel.SOCIAL, Channel.TWITTER, Channel.LINKEDIN)
# Words of short-form posts per target length.
SHORT_FORM_WORDS = {
    Channel.SOCIAL: {Length.SHORT: (40, 80), Length.MEDIUM: (80, 150), Length.LONG: (150, 250)},
    Channel.TWITTER: {Length.SHORT: (60, 120), Length.MEDIUM: (120, 250), Length.LONG: (250, 450)},
    Channel.LINKEDIN: {
        Length.SHORT: (100, 180),
        Length.MEDIUM: (180, 300),
        Length.LONG: (300, 450),
    },
}
# Characters the offline writer fills a LinkedIn post up to (the channel takes 3,000).
LINKEDIN_MAX_CHARS = 2800

VOICE_GUIDES = {
    Voice.PROFESSIONAL: "clear, confident and precise; no slang",
    Voice.CASUAL: "relaxed and friendly, like talking to a colleague",
    Voice.WITTY: "clever and light, with the odd well-placed joke",
    Voice.TECHNICAL: "exact and detailed, for practitioners; name things precisely",
    Voice.GEN_Z: "punchy, current and informal, short sentences",
    Voice.ACADEMIC: "formal and careful, claims qualified and supported",
    Voice.CORPORATE: "polished and on-message, focused on business value",
    Voice.STORYTELLING: "narrative, built around a scenario and people",
    Voice.HUMOROUS: "funny first, but still useful",
    Voice.INSPIRATIONAL: "uplifting and motivating, ending on a call to act",
    Voice.CONVERSATIONAL: "direct address to the reader, questions and answers",
}


@dataclass(frozen=True)
class PlannedSection:
    """A section an outline plans: its heading and what it should make (may be none)."""

    heading: str
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlannedOutline:
    """An outline to follow: one a person edited at the outline checkpoint, a workflow's
    own (release notes), or a campaign's blog outline its other posts are written from."""

    title: str
    sections: tuple[PlannedSection, ...]

    @property
    def headings(self) -> list[str]:
        return [s.heading for s in self.sections]

    def as_value(self) -> dict:
        """The API's outline value: {"title", "sections": [{"heading", "points"}]}."""
        return {
            "title": self.title,
            "sections": [{"heading": s.heading, "points": list(s.points)} for s in self.sections],
        }

    @classmethod
    def from_value(cls, value: dict) -> PlannedOutline:
        return cls(
            title=value["title"],
            sections=tuple(
                PlannedSection(s["heading"], tuple(s.get("points") or ()))
                for s in value["sections"]
            ),
        )


@dataclass(frozen=True)
class Brief:
    """What the user asked for."""

    topic: str
    voice: str = Voice.PROFESSIONAL  # a string: custom voices are not in the enum
    target_length: str = Length.MEDIUM
    channel: str = Channel.BLOG
    custom_instructions: str = ""
    # A brand voice's instructions (services.voices.guide_of); empty for a built-in voice.
    voice_guide: str = ""
    # The sections to write, in order, instead of planning them (long form: exactly these
    # sections under these headings; short form: the post covers each, naming it).
    outline: PlannedOutline | None = None

    @property
    def long_form(self) -> bool:
        return self.channel in LONG_FORM_CHANNELS

    def word_range(self) -> tuple[int, int]:
        if self.long_form:
            return WORD_RANGES[self.target_length]
        return SHORT_FORM_WORDS[self.channel][self.target_length]


@dataclass(frozen=True)
class SourceText:
    """A parsed source as the writers see it (untrusted material)."""

    id: str
    title: str
    text: str
    # Where each page starts in `text` (character offsets), for sources with pages.
    page_starts: tuple[int, ...] = ()


@dataclass
class Section:
    heading: str
    content: str  # Markdown paragraphs (may include lists), no heading line


@dataclass
class Draft:
    """A post before channel shaping. Short-form writers fill `body` only (no sections)."""

    title: str
    introduction: str = ""
    sections: list[Section] = field(default_factory=list)
    conclusion: str = ""
    body: str = ""
    meta_keywords: list[str] = field(default_factory=list)
    # Ids of the sources the writer drew on.
    cited_source_ids: list[str] = field(default_factory=list)
    # What the text's `[n]` markers point at (citations.Citation, n = position + 1).
    citations: list = field(default_factory=list)
    # What the writer could not do: {"code": PostWarning, "message"}.
    warnings: list[dict] = field(default_factory=list)
    kind: str = ContentKind.DRAFT
    # The sources supported fewer words than the length asked for (offline writer).
    short_of_target: bool = False


@dataclass
class Usage:
    """Model usage of one post, summed over its calls."""

    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    calls: int = 0

    def add(self, prompt_tokens: int, completion_tokens: int, cost_usd: float) -> None:
        self.prompt_tokens += prompt_tokens
        self.completion_tokens += completion_tokens
        self.cost_usd += cost_usd
        self.calls += 1


def outline_markdown(title: str, headings: list[str]) -> str:
    """Part 0 of a draft as the job page shows it: the title and the planned sections."""
    return f"# {title}\n\n" + "\n".join(f"{i}. {h}" for i, h in enumerate(headings, 1))


class DraftSink(Protocol):
    """Where a writer reports progress and the text as it is written."""

    def step(self, percent: int, message: str) -> None:
        """Progress of the whole job, 0-100, and what is happening now."""

    def advance(self, percent: int, message: str) -> None:
        """Finer progress while text streams in: cheap (no database), callable from any
        thread, never moves the progress back."""

    def write(self, part: int, text: str) -> None:
        """Append Markdown `text` to part `part`: 0 is the title (`# ...`) and outline,
        then the parts in reading order, each section opening with its `## heading`."""

    def clear(self, part: int) -> None:
        """Forget what was shown of part `part` (its model call is being retried)."""

    def check_cancelled(self) -> None:
        """Raise JobCancelled when the user cancelled the job."""


class JobCancelled(Interrupt):
    """The user cancelled the job (or it is being stopped); the writer stops at the next
    opportunity, never retrying."""


class Writer(Protocol):
    name: str  # "offline" or the model string, shown in the UI and the API's `model`

    def outline(
        self, brief: Brief, sources: list[SourceText], sink: DraftSink
    ) -> tuple[PlannedOutline, Usage]:
        """Plan the post's sections (the outline checkpoint shows it for editing; a
        campaign's other posts are written from it), then `write` with
        `brief.outline` set to it, or to what a person made of it."""

    def write(
        self, brief: Brief, sources: list[SourceText], sink: DraftSink
    ) -> tuple[Draft, Usage]:
        """Write the draft for `brief` from `sources`, reporting through `sink`."""


class NullSink:
    """A sink that drops everything (tests, benchmarks)."""

    def step(self, percent: int, message: str) -> None:
        pass

    def advance(self, percent: int, message: str) -> None:
        pass

    def write(self, part: int, text: str) -> None:
        pass

    def clear(self, part: int) -> None:
        pass

    def check_cancelled(self) -> None:
        pass
