"""Citations after an edit: markers are re-resolved against the citations the post had.

A citation whose marker is gone is dropped, a marker naming no citation is removed, and
numbers are never reassigned (a footnote keeps its number through every edit, so a
reviewer's "see [3]" still means the same source).
"""

from __future__ import annotations

import re

from ..generation.citations import MARKER


def markers_in(text: str) -> set[int]:
    """The citation numbers `text`'s markers name."""
    return {
        int(raw)
        for match in MARKER.finditer(text or "")
        for raw in re.split(r"\s*,\s*", match.group(1))
    }


def without_unknown_markers(text: str, known: set[int]) -> str:
    """`text` with each marker keeping only the numbers in `known` (gone if none is)."""

    def keep(match: re.Match) -> str:
        numbers = [int(raw) for raw in re.split(r"\s*,\s*", match.group(1))]
        kept = [n for n in dict.fromkeys(numbers) if n in known]
        if not kept:
            return ""
        if kept == numbers:
            return match.group(0)
        space = " " if match.group(0).startswith(" ") else ""
        return space + "".join(f"[{n}]" for n in kept)

    return MARKER.sub(keep, text or "")


def resolve(markdown: str, citations: list[dict]) -> tuple[str, list[dict]]:
    """`markdown` without markers that resolve to nothing, and the `citations` its markers
    still name (in number order, numbers unchanged)."""
    known = {c["n"] for c in citations}
    markdown = without_unknown_markers(markdown, known)
    named = markers_in(markdown)
    return markdown, [c for c in citations if c["n"] in named]
