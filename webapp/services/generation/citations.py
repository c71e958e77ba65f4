"""Citations: numbered markers `[n]` in a draft's text, each resolving to one entry of
`content.citations` (`{"n", "source_id", "source_name", "quote", "location": {"page",
"paragraph"}}`).

Writers put markers that index their draft's `citations` list (1-based) and may cite
entries that do not exist (a model can invent numbers). `settle` runs after writing: it
renumbers the markers in reading order, removes those that resolve to nothing, and keeps
only the citations a marker names, so no reader ever sees a marker without a footnote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import Draft
from .passages import Passage

# [3], [3, 5], [3,5], [3][5]: not a Markdown link ("[3](url)") or a reference definition ("[3]:").
MARKER = re.compile(r" ?\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\](?![(:])")


@dataclass(frozen=True)
class Citation:
    source_id: str
    source_name: str
    quote: str
    page: int | None
    paragraph: int

    @classmethod
    def of_passage(cls, passage: Passage, quote: str | None = None) -> Citation:
        """A citation of `passage` (the whole passage, or one sentence of it)."""
        return cls(
            passage.source_id,
            passage.source_name,
            quote or passage.text,
            passage.page,
            passage.paragraph,
        )

    def as_dict(self, n: int) -> dict:
        return {
            "n": n,
            "source_id": self.source_id,
            "source_name": self.source_name,
            "quote": self.quote,
            "location": {"page": self.page, "paragraph": self.paragraph},
        }


def settle(draft: Draft, keep_markers: bool = True) -> Draft:
    """Renumber the draft's markers 1, 2, 3... in reading order (a citation cited twice
    keeps its number), drop markers that resolve to nothing and citations nothing cites.
    Without `keep_markers` (thread, LinkedIn) the markers go but the citations stay."""
    numbering: dict[int, int] = {}

    def renumber(match: re.Match) -> str:
        numbers = []
        for raw in re.split(r"\s*,\s*", match.group(1)):
            index = int(raw)
            if 1 <= index <= len(draft.citations):
                numbers.append(numbering.setdefault(index, len(numbering) + 1))
        if not numbers or not keep_markers:
            return ""
        space = " " if match.group(0).startswith(" ") else ""
        return space + "".join(f"[{n}]" for n in dict.fromkeys(numbers))

    draft.introduction = MARKER.sub(renumber, draft.introduction)
    for section in draft.sections:
        section.content = MARKER.sub(renumber, section.content)
    draft.conclusion = MARKER.sub(renumber, draft.conclusion)
    draft.body = MARKER.sub(renumber, draft.body)
    by_new = sorted(numbering.items(), key=lambda pair: pair[1])
    draft.citations = [draft.citations[old - 1] for old, _ in by_new]
    return draft


def strip_markers(text: str) -> str:
    """`text` without citation markers (to count or compare its sentences)."""
    return MARKER.sub("", text or "")


def citations_content(draft: Draft) -> list[dict]:
    """The `content.citations` list of a settled draft."""
    return [citation.as_dict(n) for n, citation in enumerate(draft.citations, 1)]
