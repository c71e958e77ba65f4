"""Channel outputs as they are pasted: a LinkedIn post, each post of an X thread and a
social post as plain text (no Markdown markup; hashtags and line breaks kept), and a blog
post or newsletter as clean semantic HTML for rich-text editors (Google Docs, WordPress,
Ghost). The stored content object is never changed: these are views of it."""

from __future__ import annotations

import re

from markdown_it.token import Token
from markupsafe import Markup

from ..vocabulary import Channel
from .footnotes import MARKERS, Footnote, cited_html
from .render import markdown_parser

# Channels published as plain text: they take no Markdown.
PLAIN_CHANNELS = (Channel.TWITTER, Channel.LINKEDIN, Channel.SOCIAL)
_PARSER = markdown_parser()
_TITLE_LINE = re.compile(r"\A\s*# [^\n]*\n*")
# The page's citation links (services.footnotes.cited_html): kept as bare superscripts.
_CITE_LINK = re.compile(r'<a href="#cite-\d+" id="cite-ref-\d+-\d+">(\d+)</a>')
_REL = ' rel="noopener noreferrer nofollow"'
# HTML a model may write into a social post: dropped; anything else in angle brackets
# (`<name>`, a placeholder) is text.
_HTML_TAG = re.compile(
    r"</?(?:a|b|br|code|del|div|em|h[1-6]|hr|i|li|ol|p|s|span|strong|sub|sup|u|ul)\b[^>]*>", re.I
)


# X shortens every link to a t.co address of this many characters, whatever its length.
X_LINK_LENGTH = 23
# A link ends before a bracket or space, and without the sentence's closing punctuation.
_LINK = re.compile(r"https?://[^\s()<>]+(?<![.,!?;:])")


def x_length(text: str) -> int:
    """The length X counts for `text`: each link as a t.co address, the rest as written."""
    return len(_LINK.sub("x" * X_LINK_LENGTH, text))


def is_plain(channel: str | None) -> bool:
    """Whether posts of `channel` are published as plain text."""
    return channel in PLAIN_CHANNELS


def plain_text(markdown: str | None, keep_markers: bool = True) -> str:
    """`markdown` as the text a reader of it sees: emphasis, heading marks, quote marks
    and raw HTML dropped, a link as `text (url)`, list items as `- item` or `1. item`,
    line breaks kept. `keep_markers=False` also drops citation markers (`[1]`)."""
    out = _Blocks()
    lists: list[list] = []  # per open list: [next number or None for bullets]
    row: list[str] | None = None
    prefix, tight = "", False
    for token in _PARSER.parse(markdown or ""):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            lists.append([int(token.attrGet("start") or 1) if ordered else None])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:  # what follows the list is a paragraph apart
                out.tight = False
        elif kind == "list_item_open":
            prefix = "  " * (len(lists) - 1) + _item_mark(lists[-1])
        elif kind in ("paragraph_open", "heading_open"):
            tight = bool(token.hidden)  # a paragraph of a tight list item
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            out.add(" | ".join(row or []), tight=True)
            row = None
        elif kind == "inline":
            text = _inline_text(token.children or [], keep_markers)
            if row is not None:
                row.append(text)
            else:
                out.add(prefix + text, tight)
                prefix = ""
        elif kind in ("fence", "code_block"):
            out.add(token.content.rstrip("\n"), tight=False)
        elif kind == "html_block" and _HTML_TAG.sub("", token.content).strip():
            out.add(_HTML_TAG.sub("", token.content).strip(), tight=False)
    return out.text.strip()


def _item_mark(state: list) -> str:
    if state[0] is None:
        return "- "
    state[0] += 1
    return f"{state[0] - 1}. "


class _Blocks:
    """Blocks of text, a blank line between them but for the items of a tight list."""

    def __init__(self):
        self.text, self.tight = "", False

    def add(self, block: str, tight: bool) -> None:
        if self.text:
            self.text += "\n" if tight and self.tight else "\n\n"
        self.text += block
        self.tight = tight


def _inline_text(children: list[Token], keep_markers: bool) -> str:
    parts: list[str] = []
    links: list[tuple[str, int]] = []  # (href, where its text starts)
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "image":
            parts.append(child.content)
        elif kind == "html_inline":
            parts.append(_HTML_TAG.sub("", child.content))
        elif kind == "link_open":
            links.append((str(child.attrGet("href") or ""), len(parts)))
        elif kind == "link_close" and links:
            href, start = links.pop()
            label = "".join(parts[start:])
            if href and href not in (label, f"mailto:{label}"):
                parts.append(f" ({href})")
    text = "".join(parts)
    return text if keep_markers else MARKERS.sub("", text)


def thread_posts(content: dict) -> list[str]:
    """Each post of a thread's content object as plain text."""
    return [plain_text(item) for item in content.get("thread") or [] if isinstance(item, str)]


def post_plain_text(channel: str, content: dict) -> str:
    """The whole post as plain text: a thread's posts one after the other, a LinkedIn
    post's text, a social post's text without its title (and without citation markers);
    a blog post or newsletter with its title and headings as lines of their own."""
    if channel == Channel.TWITTER:
        return "\n\n".join(thread_posts(content))
    if channel == Channel.LINKEDIN:
        return plain_text(content.get("text"))
    markdown = content.get("markdown") or ""
    if channel == Channel.SOCIAL:
        return plain_text(_TITLE_LINE.sub("", markdown), keep_markers=False)
    return plain_text(markdown)


def rich_html(markdown: str | None, footnotes: list[Footnote]) -> Markup:
    """The post as clean semantic HTML for the clipboard: no classes, ids or styles, links
    without `rel`, each citation a bare superscript number and its sources listed at the
    end, so that it pastes into a rich-text editor as the reader sees it."""
    body, _ = cited_html(markdown, footnotes)
    html = _CITE_LINK.sub(r"\1", str(body)).replace(_REL, "")
    if footnotes:
        items = Markup("").join(
            Markup("<li>{}{} — “{}”</li>").format(f.source_name, _page(f), _one_line(f.quote))
            for f in footnotes
        )
        html += str(Markup("\n<h2>Sources</h2>\n<ol>{}</ol>\n").format(items))
    return Markup(html)  # noqa: S704 - sanitised HTML with our markup stripped, and escaped sources


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _page(footnote: Footnote) -> str:
    return f", p. {footnote.page}" if footnote.page is not None else ""
