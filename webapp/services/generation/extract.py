"""The sentences of the sources a draft may quote, each with the passage it stands in.

Only prose qualifies: no headings, tables, code, bare links, or text that tries to steer
a writer. A list item counts as a sentence of its own. Sentences keep their source's
words exactly (whitespace aside), so every one can be found again where it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import SourceText
from .citations import MARKER
from .passages import Passage, blocks_of, heading_text, passages_of

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(“‘])")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TAG = re.compile(r"<[a-zA-Z/][^>]*>")
_CODE_INDENT = re.compile(r"^(    |\t)")
# Prose ends a sentence; a colon introduces something (code, a list) a draft leaves out.
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]*_]*$")
_CODE_LIKE = re.compile(r"^\$ |^>>> |\]\[| = |==|[{}]|\w\(\)|^(from|import|def|class) \w")
_STEERING = re.compile(
    r"ignore (all |any )?(previous|prior|above)|disregard (the|all|previous)"
    r"|you are now|system prompt|respond only|as an ai|new instructions",
    re.I,
)
MIN_WORDS, MAX_WORDS = 5, 60


@dataclass(frozen=True)
class SourceSentence:
    text: str
    passage: Passage
    order: int  # reading order across all sources


def source_sentences(sources: list[SourceText]) -> list[SourceSentence]:
    """Every quotable sentence of `sources`, in reading order, each once."""
    found, seen = [], set()
    for source in sources:
        passages = passages_of(source.id, source.title, source.text, source.page_starts)
        in_fence = False
        for passage, (_, block) in zip(passages, blocks_of(source.text), strict=True):
            fences = sum(1 for line in block.splitlines() if _FENCE.match(line))
            if in_fence or fences:
                in_fence ^= fences % 2 == 1
                continue
            for sentence in _sentences_of_block(block):
                key = sentence.lower()
                if key not in seen and _is_prose(sentence):
                    seen.add(key)
                    found.append(SourceSentence(sentence, passage, len(found)))
    return found


def _sentences_of_block(block: str) -> list[str]:
    if heading_text(block) or "|" in block or _TAG.search(block):
        return []
    if all(_CODE_INDENT.match(line) for line in block.splitlines()):
        return []  # an indented code block
    units: list[tuple[str, bool]] = []  # (text, is a list item)
    current, is_item = [], False
    for line in block.splitlines():
        if _LIST_ITEM.match(line):
            if current:
                units.append((" ".join(current), is_item))
            current, is_item = [_LIST_ITEM.sub("", line)], True
        else:
            current.append(line)
    if current:
        units.append((" ".join(current), is_item))
    sentences = []
    for unit, item in units:
        for sentence in _SENTENCE.split(" ".join(unit.split())):
            ends = _ENDS_SENTENCE.search(sentence) or (item and not sentence.endswith(":"))
            if sentence.strip() and ends:
                sentences.append(" ".join(sentence.split()))
    return sentences


def _is_prose(sentence: str) -> bool:
    words = sentence.split()
    return (
        MIN_WORDS <= len(words) <= MAX_WORDS
        and re.search(r"[a-z]", sentence) is not None
        and not _STEERING.search(sentence)
        and not MARKER.search(sentence)
        and not re.search(r"https?://", sentence)
        and not _CODE_LIKE.search(sentence)
    )
