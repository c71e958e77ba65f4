"""Citations as a reader meets them: a post's markers as footnote references, its footnote
list, the Markdown export that keeps both, and a source's text as the numbered passages the
footnotes point at (the same blocks as services.generation.passages)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from ..extensions import db
from ..models import Source
from .generation.passages import blocks_of, heading_text
from .parsing.pdf import page_at
from .render import markdown_to_safe_html

# A run of markers, `[1]`, `[1][3]` or `[2, 4]`, not a link's text or a reference definition.
MARKERS = re.compile(r" ?((?:\[\d{1,4}(?:\s*,\s*\d{1,4})*\])+)(?![(:\[])")
# A tag of sanitised HTML (attribute values are double-quoted and may hold `>`), or text.
_TAG = re.compile(r'(<(?:[^<>"]|"[^"]*")*>)')
_OPAQUE = {"a", "code", "pre"}  # markers inside these stay as written
PASSAGE_CAP = 400


@dataclass(frozen=True)
class Footnote:
    n: int
    source_id: str | None
    source_name: str
    quote: str
    page: int | None
    paragraph: int | None
    source_exists: bool


def footnotes_of(post) -> list[Footnote]:
    """The post's citations in order, each knowing whether its source still exists."""
    citations = [c for c in (post.content or {}).get("citations") or [] if isinstance(c, dict)]
    ids = {c.get("source_id") for c in citations} - {None}
    alive = set()
    if ids:
        query = db.select(Source.id).where(Source.project_id == post.project_id, Source.id.in_(ids))
        alive = set(db.session.execute(query).scalars())
    return [_footnote(c, alive) for c in citations]


def _footnote(citation: dict, alive: set) -> Footnote:
    location = citation.get("location") or {}
    return Footnote(
        n=int(citation.get("n") or 0),
        source_id=citation.get("source_id"),
        source_name=citation.get("source_name") or "Source",
        quote=citation.get("quote") or "",
        page=location.get("page"),
        paragraph=location.get("paragraph"),
        source_exists=citation.get("source_id") in alive,
    )


def cited_html(markdown: str | None, footnotes: list[Footnote]) -> tuple[Markup, set[int]]:
    """The Markdown as safe HTML with each marker that resolves to a footnote turned into
    a superscript link to it (`id="cite-ref-N-k"` for its k-th use), and the numbers
    referenced. Done on the sanitised HTML, in text only (not inside links or code), so
    no markup from the text gets in."""
    known = {f.n for f in footnotes}
    uses: dict[int, int] = {}
    html = _in_text(markdown, lambda m: _references(m, known, uses))
    return html, set(uses)


def draft_html(markdown: str | None) -> Markup:
    """A draft still being written, as safe HTML: its markers as plain superscript numbers
    (its citations are settled when it is finished)."""
    return _in_text(
        markdown,
        lambda m: "<sup>" + ",".join(dict.fromkeys(re.findall(r"\d+", m.group(1)))) + "</sup>",
    )


def _in_text(markdown: str | None, replace) -> Markup:
    """The Markdown as sanitised HTML, each run of markers in its text (not inside links or
    code) replaced by `replace(match)`: our own markup around integers only."""
    parts, opaque = [], 0
    for part in _TAG.split(markdown_to_safe_html(markdown)):
        if part.startswith("<"):
            opaque += _opacity_change(part)
        elif part and not opaque:
            part = MARKERS.sub(replace, part)
        parts.append(part)
    return Markup("".join(parts))  # noqa: S704 - sanitised HTML plus integers in <sup>/<a>


def _opacity_change(tag: str) -> int:
    name = re.match(r"</?([a-zA-Z0-9]+)", tag)
    if not name or name.group(1).lower() not in _OPAQUE or tag.endswith("/>"):
        return 0
    return -1 if tag.startswith("</") else 1


def _references(match: re.Match, known: set, uses: dict) -> str:
    numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
    if not numbers or any(n not in known for n in numbers):
        return match.group(0)
    links = []
    for n in dict.fromkeys(numbers):
        uses[n] = uses.get(n, 0) + 1
        links.append(f'<a href="#cite-{n}" id="cite-ref-{n}-{uses[n]}">{n}</a>')
    return "<sup>" + ",".join(links) + "</sup>"


def markdown_with_footnotes(markdown: str | None, footnotes: list[Footnote]) -> str:
    """The post's Markdown, markers kept, with its sources listed at the end
    (`[1]: Source name, p. 2 — “quote”`) so an exported draft keeps them."""
    text = (markdown or "").rstrip()
    if not footnotes:
        return text + "\n" if text else ""
    lines = [f"[{f.n}]: {_where(f)} — “{' '.join(f.quote.split())}”" for f in footnotes]
    return f"{text}\n\n## Sources\n\n" + "\n\n".join(lines) + "\n"


def _where(footnote: Footnote) -> str:
    """`Source name, p. 2`: where the quote is."""
    page = f", p. {footnote.page}" if footnote.page is not None else ""
    return footnote.source_name + page


@dataclass(frozen=True)
class Passage:
    n: int
    text: str
    heading: bool
    page: int | None
    current: bool
    # The cited words inside the current passage: (before, quote, after), when found.
    marked: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class Gap:
    first: int
    last: int


def passages_view(
    source, requested: int | None, quote: str | None = None
) -> tuple[list[Passage | Gap], int]:
    """The source's passages to show (the first PASSAGE_CAP, plus the requested one wherever
    it is, with gaps for what is skipped) and how many passages it has. `quote`, found in
    the requested passage, is marked there."""
    page_starts = (source.parse_details or {}).get("page_starts")
    blocks = blocks_of(source.parsed_text or "")
    shown = set(range(1, min(len(blocks), PASSAGE_CAP) + 1))
    if requested and 1 <= requested <= len(blocks):
        shown.add(requested)
    items: list[Passage | Gap] = []
    for n in sorted(shown):
        if items and isinstance(items[-1], Passage) and items[-1].n < n - 1:
            items.append(Gap(items[-1].n + 1, n - 1))
        offset, block = blocks[n - 1]
        heading = heading_text(block)
        page = page_at(page_starts, offset) if page_starts else None
        text, current = heading or block, n == requested
        marked = split_at_quote(text, quote) if current and quote else None
        items.append(Passage(n, text, heading is not None, page, current, marked))
    if shown and max(shown) < len(blocks):
        items.append(Gap(max(shown) + 1, len(blocks)))
    return items, len(blocks)


def split_at_quote(text: str, quote: str) -> tuple[str, str, str] | None:
    """`text` around the first occurrence of `quote` (whitespace may differ), or None."""
    words = quote.split()
    if not words:
        return None
    match = re.search(r"\s+".join(re.escape(w) for w in words), text)
    if match is None:
        return None
    return text[: match.start()], match.group(0), text[match.end() :]
