"""A source as numbered passages: the unit a citation points at.

A passage is a paragraph of the parsed text (a block between blank lines), numbered from 1
in reading order, headings included, so the source page can number the same blocks and
highlight the one a footnote names. PDF passages also know their page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..parsing.pdf import page_at

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True)
class Passage:
    source_id: str
    source_name: str
    text: str  # the block with its whitespace collapsed
    paragraph: int  # 1-based among the source's blocks
    page: int | None  # 1-based, for sources that have pages (PDF)
    heading: str | None  # the nearest heading above it (its own text, for a heading)

    @property
    def is_heading(self) -> bool:
        return self.heading is not None and self.heading == heading_text(self.text)


def blocks_of(text: str) -> list[tuple[int, str]]:
    """(character offset, block) of each block of `text`, in order: runs of lines between
    blank lines, a heading line always a block of its own, a fenced code block whole. The
    one definition of "paragraph" that citations and the source page share."""
    blocks: list[tuple[int, str]] = []
    lines: list[str] = []
    start = offset = 0
    in_fence = False

    def flush():
        if lines:
            blocks.append((start, "\n".join(lines).strip()))
            lines.clear()

    for line in (text or "").split("\n"):
        fence = _FENCE.match(line) is not None
        if fence and not in_fence:
            flush()
        if not in_fence and not fence and (not line.strip() or _HEADING.match(line)):
            flush()
            if line.strip():
                blocks.append((offset + len(line) - len(line.lstrip()), line.strip()))
        else:
            if not lines:
                start = offset + len(line) - len(line.lstrip())
            lines.append(line)
        in_fence ^= fence
        if fence and not in_fence:
            flush()
        offset += len(line) + 1
    flush()
    return blocks


def heading_text(block: str) -> str | None:
    """The text of a Markdown heading block (`## Pricing` → "Pricing"), else None."""
    match = _HEADING.match(block) if "\n" not in block.strip() else None
    return match.group(1).strip() if match else None


def passages_of(source_id: str, source_name: str, text: str, page_starts=None) -> list[Passage]:
    """The numbered passages of one parsed source."""
    passages, heading = [], None
    for number, (offset, block) in enumerate(blocks_of(text), 1):
        heading = heading_text(block) or heading
        page = page_at(page_starts, offset) if page_starts else None
        passages.append(
            Passage(source_id, source_name, " ".join(block.split()), number, page, heading)
        )
    return passages
