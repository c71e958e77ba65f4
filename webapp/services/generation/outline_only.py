"""What the offline writer gives when there is nothing to draw on: an outline of what to
cover, built from the topic and the instructions (never a pretend draft)."""

from __future__ import annotations

import re

from ...vocabulary import ContentKind, PostWarning
from .base import Brief, Draft, PlannedOutline, PlannedSection, Section
from .planned import bullets
from .structure import title_of

# Notes about how to write (tone, audience, style) shape a draft; they are not its content.
_STYLE_NOTE = re.compile(
    r"\b(tone|voice|audience|style|formal|informal|friendly|casual|reader|readers|"
    r"words?\b.*\blong|length|keep it|write (for|in|like|as))\b",
    re.I,
)
NO_SOURCES_MESSAGE = (
    "No sources were selected, so this is an outline of what to cover, not a draft; add "
    "sources or connect a model to get a draft."
)
NO_PROSE_MESSAGE = (
    "The selected sources hold no prose to draw on, so this is an outline of what to "
    "cover, not a draft; add sources with running text or connect a model."
)


def instruction_points(instructions: str) -> list[str]:
    """The instructions' clauses that say what to cover (style notes left out)."""
    points = []
    for clause in re.split(r"[.;\n]+|\s+-\s+", instructions or ""):
        clause = " ".join(clause.split()).strip(" -•*")
        if len(clause.split()) >= 2 and not _STYLE_NOTE.search(clause):
            points.append(clause[:1].upper() + clause[1:])
    return list(dict.fromkeys(points))


def outline_plan(brief: Brief) -> PlannedOutline:
    """What to cover: an opening, the points the instructions ask for, evidence, close."""
    topic = _lower(" ".join(brief.topic.split()).rstrip("."))
    points = instruction_points(brief.custom_instructions)
    return PlannedOutline(
        title=title_of(brief.topic),
        sections=(
            PlannedSection("Opening", (f"What {topic} means for the reader",)),
            PlannedSection(
                "Main points", tuple(points or [f"The two or three things to know about {topic}"])
            ),
            PlannedSection("Evidence", (f"Facts, figures and examples about {topic}",)),
            PlannedSection("Close", ("The one thing the reader should do next",)),
        ),
    )


def outline_draft(brief: Brief, had_sources: bool) -> Draft:
    """An outline post: `outline_plan`'s sections, their points as bullets."""
    plan = outline_plan(brief)
    sections = [Section(s.heading, bullets(s.points)) for s in plan.sections]
    draft = Draft(title=plan.title)
    if brief.long_form:
        draft.sections = sections
    else:
        draft.body = "\n\n".join(f"{s.heading}:\n{s.content}" for s in sections)
    return as_outline_post(draft, had_sources)


def as_outline_post(draft: Draft, had_sources: bool) -> Draft:
    """Mark `draft` as an outline of what to cover, saying why there is no draft."""
    draft.kind = ContentKind.OUTLINE
    draft.short_of_target = False
    message = NO_PROSE_MESSAGE if had_sources else NO_SOURCES_MESSAGE
    draft.warnings.append({"code": PostWarning.NO_SOURCES, "message": message})
    return draft


def _lower(topic: str) -> str:
    first = topic.split(" ", 1)[0]
    return topic if first.isupper() or first[1:2].isupper() else topic[:1].lower() + topic[1:]
