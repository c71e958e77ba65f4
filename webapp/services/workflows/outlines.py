"""Outlines a workflow writes from: the release notes' own, a repurposed post's sections,
and the outline checkpoint's value and readable preview. Plain functions of plain data."""

from __future__ import annotations

import re

from ...vocabulary import SlotType
from ..generation import PlannedOutline, PlannedSection
from .catalog import RELEASE_NOTES_SECTIONS
from .slots import HEADING_MAX, OUTLINE_MAX_SECTIONS, POINT_MAX, TITLE_MAX

OUTLINE_CHECKPOINT = "outline"
OUTLINE_SLOT = "outline"
POINTS_PER_SECTION = 3
_MARKER = re.compile(r"\s?\[\d+\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def release_notes_outline(topic: str, version: str | None) -> PlannedOutline:
    """What changed, for whom, how to upgrade, under a title naming the version."""
    title = topic if not version or version.lower() in topic.lower() else f"{topic} {version}"
    return PlannedOutline(
        title=title[:TITLE_MAX],
        sections=tuple(PlannedSection(h, points) for h, points in RELEASE_NOTES_SECTIONS),
    )


def outline_of_post(content: dict | None, topic: str) -> PlannedOutline:
    """A written post's sections as an outline (headings, and the first sentences of each
    as its points); a post without sections (a thread, a LinkedIn post) is one section
    under its title, its paragraphs' first sentences as the points."""
    content = content or {}
    title = (content.get("title") or topic)[:TITLE_MAX]
    sections = [
        PlannedSection(s["heading"][:HEADING_MAX], first_sentences(s.get("content") or ""))
        for s in content.get("sections") or []
        if (s.get("heading") or "").strip()
    ]
    if not sections:
        body = (
            content.get("text")
            or "\n\n".join(content.get("thread") or [])
            or (content.get("introduction") or "")
        )
        sections = [PlannedSection(title[:HEADING_MAX], first_sentences(body, per_paragraph=True))]
    return PlannedOutline(title=title, sections=tuple(sections[:OUTLINE_MAX_SECTIONS]))


def first_sentences(markdown: str, per_paragraph: bool = False) -> tuple[str, ...]:
    """Up to three points: the first sentences of `markdown` (of each paragraph when
    `per_paragraph`), without citation markers or link syntax."""
    paragraphs = [p for p in re.split(r"\n\s*\n", markdown) if p.strip()]
    if not per_paragraph:
        paragraphs = [" ".join(paragraphs)]
    points = []
    for paragraph in paragraphs:
        plain = " ".join(_LINK.sub(r"\1", _MARKER.sub("", paragraph)).split()).lstrip("-*# ")
        sentences = [s for s in _SENTENCE_END.split(plain) if s]
        points += sentences[: 1 if per_paragraph else POINTS_PER_SECTION]
    return tuple(p[:POINT_MAX] for p in points[:POINTS_PER_SECTION])


def outline_text(value: dict) -> str:
    """The outline as readable text: the title, then numbered headings with their points."""
    lines = [value["title"], ""]
    for number, section in enumerate(value["sections"], 1):
        lines.append(f"{number}. {section['heading']}")
        lines += [f"   - {point}" for point in section.get("points") or []]
    return "\n".join(lines)


def outline_checkpoint(value: dict, **kept) -> dict:
    """The job's checkpoint while it waits for its outline to be reviewed (`kept`: what
    the worker keeps beside it, never shown)."""
    return {
        "checkpoint_id": OUTLINE_CHECKPOINT,
        "step_output_preview": outline_text(value),
        "slots": [{"slot_id": OUTLINE_SLOT, "type": SlotType.OUTLINE, "value": value}],
        **kept,
    }


def checkpoint_outline(checkpoint: dict | None) -> dict | None:
    """The outline value a checkpoint holds, or None."""
    for slot in (checkpoint or {}).get("slots") or []:
        if slot.get("slot_id") == OUTLINE_SLOT:
            return slot["value"]
    return None
