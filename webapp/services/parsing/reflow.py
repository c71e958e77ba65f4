"""Text as its author wrote it, before anything splits sentences: compatibility
characters normalised (ligatures, full-width forms, non-breaking spaces: NFKC) and the
lines a page wrapped joined again.

A paragraph is a run of lines between blank lines. Inside one, a line break is a wrap
(Markdown reads it the same way) unless the next line starts a heading, a list item, a
quote, a table row or a fence, or the line before it looks like a heading of its own (short,
no closing punctuation, and the next line starts a new sentence). Fenced code is left as it
is.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

# Bumped whenever reading changes what a parsed source holds: sources read by an older
# version are read again on first use (services.sources.read_again_if_outdated).
READER_VERSION = 3

_STRUCTURAL = re.compile(r"^\s*(#{1,6}\s|[-*+•]\s|\d{1,3}[.)]\s|>|\||```|~~~)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ENDS_SENTENCE = re.compile(r"[.!?:;…][\"'”’)\]]*$")
_SHORT_SHARE = 0.5
# A laid-out line this much shorter than the widest, ending a sentence, ends a paragraph.
_LAST_LINE_SHARE = 0.75
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")


def normalise_characters(text: str) -> str:
    """NFKC: "ﬀ" → "ff", full-width letters → ASCII, no-break spaces → spaces."""
    return unicodedata.normalize("NFKC", text)


def read_as_written(text: str, laid_out: bool = False) -> str:
    """`text` with its characters normalised and its wrapped lines joined again.
    `laid_out` text (a PDF page) has no blank lines between paragraphs: a line that ends
    a sentence well short of the column's width ends its paragraph."""
    return reflow(normalise_characters(text), laid_out)


def reflow(text: str, laid_out: bool = False) -> str:
    """Join the lines each paragraph of `text` was wrapped into (see the module)."""
    blocks, in_fence, out = [], False, []
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence or _FENCE.match(line):
            out.extend(_joined(blocks, laid_out))
            blocks = []
            out.append(line)
        elif not line.strip():
            out.extend(_joined(blocks, laid_out))
            blocks = []
            out.append("")
        else:
            blocks.append(line)
    out.extend(_joined(blocks, laid_out))
    return "\n".join(out)


def _joined(lines: list[str], laid_out: bool = False) -> list[str]:
    """One paragraph's lines, the wrapped ones joined."""
    lines = _setext_as_atx(lines)
    if not lines:
        return []
    widest = max(len(line.strip()) for line in lines)
    result = [lines[0].rstrip()]
    for before, line in pairwise(lines):
        previous, current = result[-1], line.strip()
        if laid_out and _ends_paragraph(before, widest):
            result += ["", line.rstrip()]
        elif (
            laid_out
            and previous == before.rstrip()
            and not _STRUCTURAL.match(previous)
            and _looks_like_heading(previous, current, widest)
        ):
            result[-1] = "## " + previous.strip()
            result += ["", line.rstrip()]
        elif _starts_its_own_line(previous, current, widest):
            result.append(line.rstrip())
        elif re.search(r"[A-Za-z]-$", previous) and current[:1].islower():
            result[-1] = previous + current  # a word broken at a hyphen
        else:
            result[-1] = f"{previous} {current}"
    return result


def _looks_like_heading(line: str, following: str, widest: int) -> bool:
    """Short, not ending a sentence, and followed by one starting."""
    return (
        len(line.strip()) < widest * _SHORT_SHARE
        and not _ENDS_SENTENCE.search(line)
        and following[:1].isupper()
    )


def _ends_paragraph(line: str, widest: int) -> bool:
    return bool(_ENDS_SENTENCE.search(line)) and len(line.strip()) < widest * _LAST_LINE_SHARE


def _setext_as_atx(lines: list[str]) -> list[str]:
    """A line underlined with `===` or `---` is a heading: written as `#`/`##` so it is
    not joined with its underline or the text below."""
    result: list[str] = []
    for line in lines:
        underline = _SETEXT.match(line)
        if underline and result and not result[-1].lstrip().startswith("#"):
            level = "#" if underline.group(1)[0] == "=" else "##"
            result[-1] = f"{level} {result[-1].strip()}"
        else:
            result.append(line)
    return result


def _starts_its_own_line(previous: str, current: str, widest: int) -> bool:
    if _STRUCTURAL.match(current) or (
        _STRUCTURAL.match(previous) and previous.lstrip().startswith("#")
    ):
        return True
    return _looks_like_heading(previous, current, widest)
