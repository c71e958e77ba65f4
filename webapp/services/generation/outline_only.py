"""What the offline writer gives when there is nothing to draw on: an outline of what to
cover, built from the topic and the instructions (never a pretend draft)."""

from __future__ import annotations

import re

from ...vocabulary import ContentKind, PostWarning
from .base import Brief, Draft, Section
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


def outline_draft(brief: Brief, had_sources: bool) -> Draft:
    """An outline post: an opening, the points the instructions ask for, evidence, close."""
    topic = " ".join(brief.topic.split()).rstrip(".")
    points = instruction_points(brief.custom_instructions)
    sections = [
        Section("Opening", _bullets([f"What {_lower(topic)} means for the reader"])),
        Section(
            "Main points",
            _bullets(points or [f"The two or three things to know about {_lower(topic)}"]),
        ),
        Section("Evidence", _bullets([f"Facts, figures and examples about {_lower(topic)}"])),
        Section("Close", _bullets(["The one thing the reader should do next"])),
    ]
    draft = Draft(title=title_of(brief.topic), kind=ContentKind.OUTLINE)
    if brief.long_form:
        draft.sections = sections
    else:
        draft.body = "\n\n".join(f"{s.heading}:\n{s.content}" for s in sections)
    message = NO_PROSE_MESSAGE if had_sources else NO_SOURCES_MESSAGE
    draft.warnings.append({"code": PostWarning.NO_SOURCES, "message": message})
    return draft


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _lower(topic: str) -> str:
    first = topic.split(" ", 1)[0]
    return topic if first.isupper() or first[1:2].isupper() else topic[:1].lower() + topic[1:]
