"""Shared types of the parsers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


class ParseError(Exception):
    """The document cannot be turned into text; the message is shown to the user."""


class UnsupportedFileType(ValueError):
    """The content is not one of the supported formats (whatever its name says)."""


@dataclass
class ParsedDocument:
    text: str
    details: dict = field(default_factory=dict)

    @property
    def word_count(self) -> int:
        return count_words(self.text)


_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def count_words(text: str) -> int:
    return len(_WORD.findall(text or ""))


def clean_text(text: str) -> str:
    """Normalise line endings, drop NULs and trailing spaces, squeeze blank-line runs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
