"""A post as Markdown: citation markers as footnote references (`[^n]`) and the footnote
definitions at the end; a thread's items, a LinkedIn post's text, an email's subject and
preheader on top."""

from __future__ import annotations

import re

from ...vocabulary import Channel
from ..footnotes import MARKERS, Footnote

# Left as written: fenced code, inline code, and a link's text with its target.
_OPAQUE = re.compile(
    r"(```.*?```|~~~.*?~~~|`[^`\n]*`|\[(?:[^\[\]\n]|\[[^\]\n]*\])*\]\([^)\n]*\))", re.S
)


def post_markdown(post, footnotes: list[Footnote]) -> str:
    """The post's Markdown with `[^n]` footnotes (only markers that resolve to a citation)."""
    body = with_footnote_references(channel_markdown(post), {f.n for f in footnotes})
    lines = [definition(f) for f in footnotes]
    text = body.rstrip()
    if lines:
        text += "\n\n" + "\n".join(lines)
    return text + "\n"


def channel_markdown(post) -> str:
    """The Markdown a channel's source of truth reads as."""
    content = post.content or {}
    title = content.get("title") or post.topic or ""
    if post.channel == Channel.TWITTER:
        return f"# {title}\n\n" + "\n\n".join(content.get("thread") or []) + "\n"
    if post.channel == Channel.LINKEDIN:
        return f"# {title}\n\n{content.get('text') or ''}\n"
    markdown = content.get("markdown") or ""
    if post.channel == Channel.EMAIL:
        subject, preheader = content.get("subject") or "", content.get("preheader") or ""
        return f"Subject: {subject}  \nPreheader: {preheader}\n\n{markdown}"
    return markdown


def with_footnote_references(markdown: str, known: set[int]) -> str:
    """Each run of markers outside code and link text whose numbers all resolve becomes
    `[^n]` references (`[2][1]` → `[^2][^1]`, `[2, 4]` → `[^2][^4]`)."""
    parts = _OPAQUE.split(markdown)
    for i in range(0, len(parts), 2):  # the even parts are outside code and links
        parts[i] = MARKERS.sub(lambda m: _references(m, known), parts[i])
    return "".join(parts)


def _references(match: re.Match, known: set[int]) -> str:
    numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
    if not numbers or any(n not in known for n in numbers):
        return match.group(0)
    return "".join(f"[^{n}]" for n in dict.fromkeys(numbers))


def definition(footnote: Footnote) -> str:
    """`[^n]: source name — “quote” (page p, paragraph k)`."""
    quote = " ".join(footnote.quote.split())
    return f"[^{footnote.n}]: {footnote.source_name} — “{quote}”{location(footnote)}"


def location(footnote: Footnote) -> str:
    """` (page p, paragraph k)`, with only what is known, or nothing."""
    parts = []
    if footnote.page is not None:
        parts.append(f"page {footnote.page}")
    if footnote.paragraph is not None:
        parts.append(f"paragraph {footnote.paragraph}")
    return f" ({', '.join(parts)})" if parts else ""
