"""Markdown from models and sources, as HTML that is safe to put on a page.

Parsed as CommonMark (markdown-it-py) with tables and strikethrough, so the two-space nested
lists models write render as nested lists; then sanitised with nh3."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
    "del",
    "s",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
_TEXT_ALIGN = re.compile(r"text-align:\s*(left|right|center)")


def markdown_parser() -> MarkdownIt:
    """The CommonMark parser pages render with (raw HTML is parsed, then sanitised)."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


_PARSER = markdown_parser()


def markdown_to_safe_html(text: str | None) -> str:
    """Render Markdown, then sanitise: no scripts, no event handlers, no raw HTML beyond
    a small allow-list, links only to http(s) and mailto, opened without referrer."""
    tokens = _PARSER.parse(text or "")
    _align_cells_with_attributes(tokens)
    html = _PARSER.renderer.render(tokens, _PARSER.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def _align_cells_with_attributes(tokens: list[Token]) -> None:
    """Column alignment as `align` rather than `style`: the sanitiser allows no styles."""
    for token in tokens:
        if token.type in ("th_open", "td_open") and token.attrs.get("style"):
            align = _TEXT_ALIGN.search(str(token.attrs.pop("style")))
            if align:
                token.attrs["align"] = align.group(1)
