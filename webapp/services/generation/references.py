"""The reference material of one model-written post: its sources' passages numbered once
(1..N over all selected sources), the ones each call's prompt carries, and afterwards the
draft's citations of them.

A model cites by number; only a number some prompt of this post actually showed resolves.
Anything else (an invented number, [0], a passage that never fit a prompt's budget) is
turned into a marker that resolves to nothing, which `citations.settle` removes.
"""

from __future__ import annotations

import re
import threading

from .base import Draft, SourceText
from .citations import MARKER, Citation
from .prompts import choose_passages, number_passages, render_reference, sent_text


class References:
    def __init__(self, sources: list[SourceText], budget_tokens: int):
        self.passages = number_passages(sources)
        self.budget = budget_tokens
        self.sent: dict[int, str] = {}  # passage number → its text as the prompt carried it
        self._lock = threading.Lock()  # the parts are written from several threads

    def block(self, focus: str, share: float = 1.0) -> str:
        """The <reference_material> of one prompt: the passages most relevant to `focus`
        within `share` of the budget. Records what it sent."""
        chosen = choose_passages(self.passages, focus, int(self.budget * share))
        with self._lock:
            for item in chosen:
                self.sent[item.n] = sent_text(item)
        return render_reference(chosen)

    def cite(self, draft: Draft) -> Draft:
        """Give `draft` the citations its markers name: `draft.citations` becomes the
        passages sent (in number order) and each marker is renumbered to index it, or to
        0 (resolving to nothing) when its number was never sent."""
        numbers = sorted(self.sent)
        index = {n: i for i, n in enumerate(numbers, 1)}
        draft.citations = [
            Citation.of_passage(self.passages[n - 1].passage, quote=self.sent[n]) for n in numbers
        ]

        def renumber(match: re.Match) -> str:
            cited = (index.get(int(raw), 0) for raw in re.split(r"\s*,\s*", match.group(1)))
            space = " " if match.group(0).startswith(" ") else ""
            return space + "[" + ", ".join(str(n) for n in cited) + "]"

        draft.introduction = MARKER.sub(renumber, draft.introduction)
        for section in draft.sections:
            section.content = MARKER.sub(renumber, section.content)
        draft.conclusion = MARKER.sub(renumber, draft.conclusion)
        draft.body = MARKER.sub(renumber, draft.body)
        draft.cited_source_ids = list(dict.fromkeys(c.source_id for c in draft.citations))
        return draft
