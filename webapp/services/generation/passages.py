"""A source as numbered passages: the unit a citation points at.

A passage is a paragraph of the parsed text (a block between blank lines), numbered from 1
in reading order, headings included, so the source page can number the same blocks and
highlight the one a footnote names. PDF passages also know their page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..parsing.pdf import page_at

_BLOCK_BREAK = re.compile(r"\n[ \t]*\n")
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
    """(character offset, block) of each non-blank block of `text`, in order. The one
    definition of "paragraph" that citations and the source page share."""
    blocks, position = [], 0
    for part in _BLOCK_BREAK.split(text or ""):
        offset = (text or "").find(part, position)
        position = offset + len(part)
        if part.strip():
            blocks.append((offset + len(part) - len(part.lstrip()), part.strip()))
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
