"""Markdown from models and sources, as HTML that is safe to put on a page."""
from __future__ import annotations

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4",
                "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "table", "tbody",
                "td", "th", "thead", "tr", "ul", "del"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"},
                      "th": {"align"}}


def markdown_to_safe_html(text: str | None) -> str:
    """Render Markdown, then sanitise: no scripts, no event handlers, no raw HTML beyond
    a small allow-list, links only to http(s) and mailto, opened without referrer."""
    html = markdown_lib.markdown(text or "", extensions=["fenced_code", "tables",
                                                         "sane_lists"], output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer nofollow")
