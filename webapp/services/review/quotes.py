"""Finding a quoted passage in a post's Markdown.

A quote matches where its words appear in the same order separated by any whitespace (the
editor's preview loses line breaks, a selection gains spaces), so matching collapses
whitespace on both sides; the match is reported as a span of the original text.
"""

from __future__ import annotations

import re

from ...errors import ErrorCode, ValidationFailed

QUOTE_MAX = 5000


def collapse(text: str) -> str:
    """`text` with every run of whitespace as one space, trimmed."""
    return " ".join((text or "").split())


def _pattern(quote: str) -> re.Pattern | None:
    words = (quote or "").split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(word) for word in words))


def spans(markdown: str, quote: str) -> list[tuple[int, int]]:
    """Where `quote` occurs in `markdown` (whitespace collapsed), as (start, end) spans."""
    pattern = _pattern(quote)
    if pattern is None:
        return []
    return [match.span() for match in pattern.finditer(markdown or "")]


def occurs(markdown: str, quote: str) -> bool:
    """Whether `quote` is somewhere in `markdown`."""
    return bool(spans(markdown, quote))


def locate(markdown: str, quote: str, field: str = "quote") -> tuple[int, int]:
    """The one span of `quote` in `markdown`: QUOTE_NOT_FOUND when it is not there,
    QUOTE_AMBIGUOUS when it is there more than once (400, at `["body", field]`)."""
    found = spans(markdown, quote)
    if not found:
        raise ValidationFailed.at(
            field,
            "Not in the post.",
            summary="The quoted passage is not in the post; select text of its current version.",
            code=ErrorCode.QUOTE_NOT_FOUND,
        )
    if len(found) > 1:
        raise ValidationFailed(
            f"The quoted passage occurs {len(found)} times in the post; select a longer "
            "passage that occurs once.",
            code=ErrorCode.QUOTE_AMBIGUOUS,
            errors=[
                {"loc": ["body", field], "msg": "Occurs more than once.", "type": "value_error"}
            ],
        )
    return found[0]


def is_unique(markdown: str, quote: str) -> bool:
    """Whether `quote` occurs exactly once in `markdown`."""
    return len(spans(markdown, quote)) == 1


def replace_once(markdown: str, quote: str, replacement: str) -> str:
    """`markdown` with the one occurrence of `quote` replaced (see `locate`)."""
    start, end = locate(markdown, quote)
    return markdown[:start] + replacement + markdown[end:]
