"""Writing to a planned outline (`Brief.outline`): what both writers share.

A long-form post has exactly the outline's sections; a short-form post (thread, LinkedIn,
social) covers each section in order, one paragraph (the first of its paragraphs) led by
its heading, so every heading is named in the post whatever the writer produced for it.
"""

from __future__ import annotations

import re

from .base import PlannedOutline
from .content import clean_section_text

_ENDS_PHRASE = re.compile(r"[.:!?…]$")
# A Markdown heading line in a model's answer: where one section's text starts (a
# hashtag, with no space after its "#", is not one).
_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t]*$", re.M)


def bullets(points) -> str:
    return "\n".join(f"- {point}" for point in points)


def as_sentences(points) -> str:
    """Points run together as sentences, each ending with a full stop."""
    return " ".join(p if _ENDS_PHRASE.search(p) else f"{p}." for p in points if p.strip())


def lead(heading: str, text: str) -> str:
    """`text` led by its section's heading ("Pricing: The tool costs..."), unless it
    already opens with it."""
    text = text.strip()
    if not text:
        return heading
    if _plain(text).startswith(_plain(heading)):
        return text
    return f"{heading}{' ' if _ENDS_PHRASE.search(heading) else ': '}{text}"


def short_form_body(outline: PlannedOutline, texts: list[str], opening: str = "") -> str:
    """The post's paragraphs: `opening` (if any), then each section's text, its first
    paragraph led by the section's heading."""
    paragraphs = [opening.strip()] if opening.strip() else []
    for section, text in zip(outline.sections, texts, strict=True):
        first, _, rest = text.strip().partition("\n\n")
        paragraphs.append(lead(section.heading, first) + (f"\n\n{rest.strip()}" if rest else ""))
    return "\n\n".join(paragraphs)


def split_answer(text: str, outline: PlannedOutline) -> tuple[str, list[str]]:
    """A model's answer written under `## heading` lines, as (text before the first
    heading, text of each outline section). As many headings as sections are taken in
    order (the model may have reworded them); otherwise each goes to the section it
    names, text under a heading that names none to the section before it."""
    chunks = _HEADING_LINE.split(text or "")
    opening, found = chunks[0], list(zip(chunks[1::2], chunks[2::2], strict=True))
    texts = [""] * len(outline.sections)
    if len(found) == len(texts):
        return opening.strip(), [body.strip() for _, body in found]
    wanted = [_plain(h) for h in outline.headings]
    current = None
    for heading, body in found:
        named = [i for i, w in enumerate(wanted) if w == _plain(heading) and not texts[i]]
        current = named[0] if named else current
        if current is None:
            opening += "\n\n" + body
        else:
            texts[current] = f"{texts[current]}\n\n{body}".strip()
    return opening.strip(), texts


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def planned_short_form_body(outline: PlannedOutline, answer: str) -> str:
    """A model's short-form answer written to `outline` as the post's body: each section
    led by its heading, one the model skipped by its points."""
    opening, texts = split_answer(answer, outline)
    texts = [
        clean_section_text(text) or as_sentences(section.points)
        for section, text in zip(outline.sections, texts, strict=True)
    ]
    return short_form_body(outline, texts, clean_section_text(opening))
