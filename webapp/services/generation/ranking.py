"""Relevance of source sentences to a brief: Okapi BM25 over lightly stemmed words."""

from __future__ import annotations

import math
import re
from collections import Counter

from .prompts import STOP_WORDS

_WORD = re.compile(r"[a-z0-9][a-z0-9'-]+")
_SUFFIXES = ("ies", "ing", "ed", "es", "s")
K1, B = 1.2, 0.75


def stem(word: str) -> str:
    """A crude stem, enough for "standups" to meet "standup" and "teams" "team"."""
    word = word.strip("'-")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def tokens(text: str) -> list[str]:
    """The informative words of `text`, stemmed."""
    return [stem(w) for w in _WORD.findall((text or "").lower()) if w not in STOP_WORDS]


def bm25(documents: list[list[str]], query: list[str]) -> list[float]:
    """The BM25 score of each tokenised document for the query's tokens."""
    if not documents:
        return []
    average = sum(len(d) for d in documents) / len(documents) or 1.0
    frequency = Counter(t for d in documents for t in set(d))
    weights = {
        t: math.log(1 + (len(documents) - frequency[t] + 0.5) / (frequency[t] + 0.5))
        for t in set(query)
    }
    scores = []
    for document in documents:
        counts, length = Counter(document), len(document)
        scores.append(
            sum(
                weight * counts[t] * (K1 + 1) / (counts[t] + K1 * (1 - B + B * length / average))
                for t, weight in weights.items()
                if counts[t]
            )
        )
    return scores
