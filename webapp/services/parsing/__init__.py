"""Turning uploaded bytes into text: type detection by content, one module per format.

Every parser takes bytes and returns a `ParsedDocument`, or raises `ParseError` with a
sentence a user can act on. The libraries' own exceptions never escape this package.
"""

from __future__ import annotations

from .base import ParsedDocument, ParseError, UnsupportedFileType
from .detect import detect_file_type
from .dispatch import parse_document

__all__ = [
    "ParseError",
    "ParsedDocument",
    "UnsupportedFileType",
    "detect_file_type",
    "parse_document",
]
