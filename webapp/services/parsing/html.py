"""The main text of a web page, through trafilatura."""

from __future__ import annotations

import trafilatura

from .base import ParsedDocument, ParseError, clean_text
from .reflow import read_as_written


def parse_html(html: str | bytes, url: str) -> ParsedDocument:
    """Title and main text (boilerplate, navigation and ads removed)."""
    try:
        extracted = trafilatura.bare_extraction(
            html, url=url, include_comments=False, include_tables=True, with_metadata=True
        )
    except Exception as exc:  # trafilatura surfaces lxml's many error types
        raise ParseError(f"The page could not be read ({type(exc).__name__}).") from exc
    document = extracted.as_dict() if hasattr(extracted, "as_dict") else (extracted or {})
    text = read_as_written(clean_text(document.get("text") or ""))
    if not text:
        raise ParseError("No readable text was found on that page.")
    return ParsedDocument(text, {"title": (document.get("title") or "").strip()[:255] or None})
