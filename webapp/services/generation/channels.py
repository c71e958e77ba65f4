"""The content object of each channel (what the API returns as `post.content`).

Every channel has `title`, `markdown` and `word_count`. blog and social also have the
reference's `introduction`, `sections`, `conclusion`, `meta_description` and
`meta_keywords`; twitter a `thread` (each item ≤ 280 characters); linkedin `text`
(≤ 3,000 characters); email `subject`, `preheader` and `body`.
"""

from __future__ import annotations

import re

from ...vocabulary import Channel
from . import citations
from .base import Brief, Draft
from .content import count_words, long_form_markdown, meta_description, split_long_form_markdown

TWEET_MAX = 280
# A thread post's text before its counter (" 3/7") is added.
THREAD_PIECE_MAX = TWEET_MAX - 8
LINKEDIN_MAX = 3000
SUBJECT_MAX = 78
PREHEADER_MAX = 110
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Channels too short for footnote markers: their citations are listed only.
MARKERLESS_CHANNELS = (Channel.TWITTER, Channel.LINKEDIN)


def shape_content(draft: Draft, brief: Brief, insert_links) -> tuple[dict, list[dict]]:
    """The channel's content object and the internal links inserted into it.

    `insert_links(markdown) -> (markdown, links)` adds the project's link opportunities;
    twitter and linkedin get none (their text is plain and short). Every channel lists
    its `citations` and says its `kind`; twitter and linkedin carry no markers."""
    draft = citations.settle(draft, keep_markers=brief.channel not in MARKERLESS_CHANNELS)
    content, links = _shaped(draft, brief, insert_links)
    content["kind"] = draft.kind
    content["citations"] = citations.citations_content(draft)
    return content, links


def _shaped(draft: Draft, brief: Brief, insert_links) -> tuple[dict, list[dict]]:
    if brief.long_form:
        markdown, links = insert_links(long_form_markdown(draft))
        draft = split_long_form_markdown(markdown, draft)
        content = _article(draft, markdown)
        if brief.channel == Channel.EMAIL:
            content.update(_email(draft, content))
        return content, links
    if brief.channel == Channel.TWITTER:
        return _twitter(draft), []
    if brief.channel == Channel.LINKEDIN:
        return _linkedin(draft), []
    markdown, links = insert_links(f"# {draft.title}\n\n{draft.body.strip()}\n")
    body = markdown.split("\n", 1)[1].strip()
    return _article(
        Draft(title=draft.title, introduction=body, meta_keywords=draft.meta_keywords), markdown
    ), links


def _article(draft: Draft, markdown: str) -> dict:
    return {
        "title": draft.title,
        "introduction": draft.introduction,
        "sections": [{"heading": s.heading, "content": s.content} for s in draft.sections],
        "conclusion": draft.conclusion,
        "meta_description": meta_description(draft),
        "meta_keywords": list(draft.meta_keywords)[:10],
        "markdown": markdown,
        "word_count": count_words(re.sub(r"\]\([^)]*\)", "]", markdown)),
    }


def _email(draft: Draft, article: dict) -> dict:
    body = article["markdown"].split("\n", 1)[1].strip() if "\n" in article["markdown"] else ""
    return {
        "subject": clip(draft.title, SUBJECT_MAX),
        "preheader": clip(article["meta_description"], PREHEADER_MAX),
        "body": body,
    }


def _twitter(draft: Draft) -> dict:
    thread = split_into_thread(draft.body)
    markdown = f"# {draft.title}\n\n" + "\n\n".join(thread) + "\n"
    return {
        "title": draft.title,
        "thread": thread,
        "markdown": markdown,
        "word_count": sum(count_words(t) for t in thread),
    }


def _linkedin(draft: Draft) -> dict:
    text = _clip_paragraphs(draft.body.strip(), LINKEDIN_MAX)
    return {
        "title": draft.title,
        "text": text,
        "markdown": f"# {draft.title}\n\n{text}\n",
        "word_count": count_words(text),
    }


def split_into_thread(body: str) -> list[str]:
    """Paragraphs become posts; a long paragraph is split at sentences, then at words.
    Each post ends with its position (`1/5`) and stays within 280 characters."""
    pieces: list[str] = []
    for paragraph in [p.strip() for p in re.split(r"\n\s*\n", body or "") if p.strip()]:
        pieces.extend(_pack(_SENTENCE_END.split(" ".join(paragraph.split())), THREAD_PIECE_MAX))
    total = len(pieces)
    return [f"{piece} {i}/{total}" if total > 1 else piece for i, piece in enumerate(pieces, 1)]


def _pack(sentences: list[str], limit: int) -> list[str]:
    """Greedily join sentences into chunks of at most `limit` characters."""
    chunks, current = [], ""
    for sentence in sentences:
        for part in _split_long(sentence, limit):
            candidate = f"{current} {part}".strip()
            if len(candidate) <= limit:
                current = candidate
            else:
                chunks.append(current)
                current = part
    return chunks + ([current] if current else [])


def _split_long(sentence: str, limit: int) -> list[str]:
    if len(sentence) <= limit:
        return [sentence]
    parts, current = [], ""
    for word in sentence.split():
        word = word[:limit]
        if len(current) + len(word) + 1 > limit:
            parts.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return parts + ([current] if current else [])


def clip(text: str, limit: int) -> str:
    """`text` on one line, cut at a word boundary (with "…") to at most `limit` characters."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _clip_paragraphs(text: str, limit: int) -> str:
    """Whole paragraphs up to `limit` characters (the first one clipped if it alone is over)."""
    kept = ""
    for paragraph in re.split(r"\n\s*\n", text):
        candidate = f"{kept}\n\n{paragraph.strip()}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    return kept or clip(text, limit)
