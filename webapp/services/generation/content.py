"""From a writer's Draft to the post's content object: Markdown, length, meta description.

Channel shapes are in `channels.py`; this module holds what every channel shares.
"""

from __future__ import annotations

import re

from .base import Draft, Section
from .citations import strip_markers

_WORD = re.compile(r"\b\w[\w'-]*\b")
_HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
CONCLUSION_HEADING = "Conclusion"
META_DESCRIPTION_MAX = 160


def count_words(text: str) -> int:
    """Words a reader reads: citation markers are not words."""
    return len(_WORD.findall(strip_markers(text or "")))


def draft_word_count(draft: Draft) -> int:
    """Words of everything a reader reads: title, introduction, sections, conclusion, body."""
    parts = [draft.title, draft.introduction, draft.conclusion, draft.body]
    parts += [s.heading + "\n" + s.content for s in draft.sections]
    return sum(count_words(p) for p in parts)


def clean_section_text(text: str) -> str:
    """Model or source text as section content: no heading lines (the structure is ours),
    trimmed blank lines."""
    lines = [
        _HEADING_LINE.sub("", line) if _HEADING_LINE.match(line) else line
        for line in (text or "").strip().splitlines()
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def long_form_markdown(draft: Draft) -> str:
    """`# Title`, introduction, `## Heading` per section, `## Conclusion`."""
    blocks = [f"# {draft.title}"]
    if draft.introduction:
        blocks.append(draft.introduction)
    for section in draft.sections:
        blocks.append(f"## {section.heading}\n\n{section.content}")
    if draft.conclusion:
        blocks.append(f"## {CONCLUSION_HEADING}\n\n{draft.conclusion}")
    return "\n\n".join(blocks).strip() + "\n"


def split_long_form_markdown(markdown: str, draft: Draft) -> Draft:
    """The inverse of `long_form_markdown` (after links were inserted): the parts again,
    so the content object's sections carry the same links as its Markdown."""
    chunks = re.split(r"^## (.+)$", markdown, flags=re.M)
    head, rest = chunks[0], chunks[1:]
    introduction = re.sub(r"^# .*$", "", head, count=1, flags=re.M).strip()
    sections = [Section(rest[i].strip(), rest[i + 1].strip()) for i in range(0, len(rest), 2)]
    conclusion = ""
    if draft.conclusion and sections and sections[-1].heading == CONCLUSION_HEADING:
        conclusion = sections.pop().content
    return Draft(
        title=draft.title,
        introduction=introduction,
        sections=sections,
        conclusion=conclusion,
        body=draft.body,
        meta_keywords=draft.meta_keywords,
        cited_source_ids=draft.cited_source_ids,
        citations=draft.citations,
        warnings=draft.warnings,
        kind=draft.kind,
    )


def fit_to_maximum(draft: Draft, maximum: int) -> Draft:
    """Drop trailing paragraphs of the longest sections until the post is within
    `maximum` words; every section keeps at least its first paragraph."""
    while draft_word_count(draft) > maximum:
        candidates = [s for s in draft.sections if "\n\n" in s.content.strip()]
        if not candidates:
            break
        longest = max(candidates, key=lambda s: count_words(s.content))
        longest.content = longest.content.strip().rsplit("\n\n", 1)[0]
    return draft


def meta_description(draft: Draft) -> str:
    """At most 160 characters, from the opening sentences, cut at a word boundary."""
    source = strip_markers(draft.introduction or draft.body or draft.title)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", source)  # link text only
    text = re.sub(r"<[^>]*>", "", text)
    text = re.sub(r"[*_`#>]", "", " ".join(text.split()))
    if len(text) <= META_DESCRIPTION_MAX:
        return text
    sentences, result = _SENTENCE_END.split(text), ""
    for sentence in sentences:
        candidate = f"{result} {sentence}".strip()
        if len(candidate) > META_DESCRIPTION_MAX:
            break
        result = candidate
    if result:
        return result
    return text[: META_DESCRIPTION_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
