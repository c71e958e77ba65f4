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

# Bumped whenever reading changes what a parsed source holds: sources read by an older
# version are read again on first use (services.sources.read_again_if_outdated).
READER_VERSION = 2

_STRUCTURAL = re.compile(r"^\s*(#{1,6}\s|[-*+•]\s|\d{1,3}[.)]\s|>|\||```|~~~)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ENDS_SENTENCE = re.compile(r"[.!?:;…][\"'”’)\]]*$")
_SHORT_SHARE = 0.5


def normalise_characters(text: str) -> str:
    """NFKC: "ﬀ" → "ff", full-width letters → ASCII, no-break spaces → spaces."""
    return unicodedata.normalize("NFKC", text)


def read_as_written(text: str) -> str:
    """`text` with its characters normalised and its wrapped lines joined again."""
    return reflow(normalise_characters(text))


def reflow(text: str) -> str:
    """Join the lines each paragraph of `text` was wrapped into (see the module)."""
    blocks, in_fence, out = [], False, []
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence or _FENCE.match(line):
            out.extend(_joined(blocks))
            blocks = []
            out.append(line)
        elif not line.strip():
            out.extend(_joined(blocks))
            blocks = []
            out.append("")
        else:
            blocks.append(line)
    out.extend(_joined(blocks))
    return "\n".join(out)


def _joined(lines: list[str]) -> list[str]:
    """One paragraph's lines, the wrapped ones joined."""
    if not lines:
        return []
    widest = max(len(line.strip()) for line in lines)
    result = [lines[0].rstrip()]
    for line in lines[1:]:
        previous, current = result[-1], line.strip()
        if _starts_its_own_line(previous, current, widest):
            result.append(line.rstrip())
        elif re.search(r"[A-Za-z]-$", previous) and current[:1].islower():
            result[-1] = previous + current  # a word broken at a hyphen
        else:
            result[-1] = f"{previous} {current}"
    return result


def _starts_its_own_line(previous: str, current: str, widest: int) -> bool:
    if _STRUCTURAL.match(current) or (
        _STRUCTURAL.match(previous) and previous.lstrip().startswith("#")
    ):
        return True
    looks_like_heading = (
        len(previous.strip()) < widest * _SHORT_SHARE
        and not _ENDS_SENTENCE.search(previous)
        and current[:1].isupper()
    )
    return looks_like_heading
