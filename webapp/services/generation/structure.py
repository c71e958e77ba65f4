"""How the offline writer lays out the sentences it chose: title, headings, paragraphs.

Headings are the sources' own (cleaned up), never invented; a sentence keeps its citation
as a `[k]` marker right after it.
"""

from __future__ import annotations

import re

from .citations import Citation
from .extract import SourceSentence

# A heading-less single source gets a heading of its own only past this many words.
LONE_SECTION_WORDS = 250
INTRO_SENTENCES = 3
SMALL_WORDS = frozenset("a an and as at but by for in nor of on or the to vs via with".split())
_NUMBERING = re.compile(r"^(?:(?:chapter|section|part)\s+)?\d+(?:\.\d+)*[.):]?\s+", re.I)
_EXTENSION = re.compile(r"\.(pdf|docx?|md|markdown|txt|html?|csv)$", re.I)


def title_of(topic: str) -> str:
    """The post's title: the topic, capitalised as a headline (small words stay small)."""
    words = " ".join(topic.split()).rstrip(".").split(" ")
    return " ".join(
        w[:1].upper() + w[1:] if w.islower() and (i == 0 or w not in SMALL_WORDS) else w
        for i, w in enumerate(words)
    )[:200]


def readable_title(name: str) -> str:
    """A source's name as a heading: "remote-work_report.pdf" → "Remote work report"."""
    text = " ".join(re.sub(r"[-_]+", " ", _EXTENSION.sub("", name or "")).split())
    if not re.search(r"[A-Za-z]{3}", text):
        return "From the sources"
    return text[:1].upper() + text[1:]


def clean_heading(heading: str | None, title: str) -> str | None:
    """A source heading fit for the post: no numbering or emphasis, sentence case when it
    was shouted; None when it would only repeat the title."""
    if not heading:
        return None
    text = _NUMBERING.sub("", re.sub(r"[*_`]", "", heading)).strip().rstrip(":").strip()
    if text.isupper():
        text = text.capitalize()
    if not re.search(r"[A-Za-z]", text) or text.lower() == title.lower():
        return None
    return text[:120]


def group_into_sections(sentences: list[SourceSentence], names: dict[str, str], title: str = ""):
    """(introduction sentences, [(heading, sentences)]) in reading order. Sentences under
    no heading open the post (first source) or sit under their source's name."""
    introduction, groups = [], {}
    first_source = sentences[0].passage.source_id if sentences else None
    for sentence in sentences:
        heading = clean_heading(sentence.passage.heading, title)
        if heading is None and sentence.passage.source_id == first_source:
            introduction.append(sentence)
            continue
        heading = heading or names.get(sentence.passage.source_id, "From the sources")
        groups.setdefault(heading.lower(), (heading, []))[1].append(sentence)
    sections = list(groups.values())
    if not sections and _words(introduction) > LONE_SECTION_WORDS:
        rest = introduction[INTRO_SENTENCES:]
        introduction = introduction[:INTRO_SENTENCES]
        sections = [(names.get(first_source, "From the sources"), rest)]
    if not introduction and sections and len(sections[0][1]) <= INTRO_SENTENCES:
        introduction = sections.pop(0)[1]
    return introduction, sections


def _words(sentences: list[SourceSentence]) -> int:
    return sum(len(s.text.split()) for s in sentences)


def paragraphs_of(
    sentences: list[SourceSentence], citations: list[Citation], per_paragraph: int | None = 3
) -> str:
    """Sentences of one passage share a paragraph (at most `per_paragraph` of them; with
    None, all the sentences make one paragraph); each is followed by its marker, and its
    citation appended to `citations`."""
    paragraphs, current, passage = [], [], None
    for sentence in sentences:
        if (
            current
            and per_paragraph
            and (sentence.passage != passage or len(current) >= per_paragraph)
        ):
            paragraphs.append(" ".join(current))
            current = []
        citations.append(Citation.of_passage(sentence.passage, quote=sentence.text))
        current.append(f"{sentence.text} [{len(citations)}]")
        passage = sentence.passage
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)
