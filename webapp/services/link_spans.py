"""Where a link may go in a post's Markdown: the plain-text runs markdown-it-py finds outside
headings, code, links, images and raw HTML anchors, as offsets into the Markdown source.

markdown-it keeps only line ranges on block tokens, so the inline parser here records where
each text token starts in its block's inline text, and that inline text is mapped back onto
the source lines (container markers and indentation stripped by the block parser)."""

from __future__ import annotations

import re
from bisect import bisect_right

from markdown_it import MarkdownIt
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_RAW_ANCHOR_OPEN = re.compile(r"<a[\s>]", re.IGNORECASE)
_RAW_ANCHOR_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


class _PositionedState(StateInline):
    """Inline state that writes `meta["start"]` (offset in the inline text) on text tokens.
    It relies on markdown-it-py's pending-text internals (pinned in requirements.txt); the
    links tests fail if an upgrade moves them."""

    pending_start = 0

    def append_pending(self, text: str) -> None:
        if not self._pending and not self._pending_buffer:
            self.pending_start = self.pos
        super().append_pending(text)

    def pushPending(self) -> Token:
        token = super().pushPending()
        token.meta = {"start": self.pending_start}
        return token

    def push(self, ttype: str, tag: str, nesting) -> Token:
        token = super().push(ttype, tag, nesting)
        if ttype == "text":  # an emphasis or strikethrough marker, one token per marker
            previous = self.tokens[-2] if len(self.tokens) > 1 else None
            start = self.pos
            if previous is not None and previous.meta.get("pushed_at") == self.pos:
                start = previous.meta["start"] + len(previous.content)
            token.meta = {"start": start, "pushed_at": self.pos}
        return token


def _parse_positioned(parser: ParserInline, src, md, env, tokens) -> list[Token]:
    state = _PositionedState(src, md, env, tokens)
    parser.tokenize(state)
    for rule in parser.ruler2.getRules(""):
        rule(state)
    return state.tokens


def _join_text_keeping_start(state: StateInline) -> None:
    """fragments_join, but the merged token keeps the first fragment's start. Markers the
    emphasis rule emptied are dropped: their character is in the source, not in the text."""
    joined: list[Token] = []
    for token in state.tokens:
        if token.type == "text" and not token.content:
            continue
        if token.type == "text" and joined and joined[-1].type == "text":
            first = joined[-1]
            first.content += token.content
            continue
        joined.append(token)
    state.tokens[:] = joined


def _positioned_parser() -> MarkdownIt:
    """CommonMark as pages render it. Tables stay paragraphs here (cells are text on their
    row's line, which the line mapping needs); escapes and entities stay their own tokens."""
    md = MarkdownIt("commonmark").enable("strikethrough").disable("text_join")
    md.inline.ruler2.at("fragments_join", _join_text_keeping_start)
    md.inline.parse = lambda src, md_, env, tokens: _parse_positioned(
        md.inline, src, md_, env, tokens
    )
    return md


_PARSER = _positioned_parser()


def linkable_spans(markdown: str) -> list[tuple[int, int]]:
    """(start, end) offsets of text a link may wrap, in document order."""
    lines = _source_lines(markdown)
    spans, in_heading = [], False
    for token in _PARSER.parse(markdown):
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline" and not in_heading and token.map:
            spans += _inline_spans(lines, token)
    return spans


def _source_lines(markdown: str) -> list[tuple[int, str]]:
    """(offset, text) of each source line, whatever its line ending."""
    lines, start = [], 0
    for match in _LINE_BREAK.finditer(markdown):
        lines.append((start, markdown[start : match.start()]))
        start = match.end()
    lines.append((start, markdown[start:]))
    return lines


def _inline_spans(lines, token: Token) -> list[tuple[int, int]]:
    """The source spans of the block's text tokens outside links and raw HTML anchors
    (code spans, images, escapes and entities are tokens of their own)."""
    to_source = _offset_mapper(lines, token)
    if to_source is None:
        return []
    spans, link_depth, anchor_depth = [], 0, 0
    for child in token.children or []:
        if child.type in ("link_open", "link_close"):
            link_depth += 1 if child.type == "link_open" else -1
        elif child.type == "html_inline":
            anchor_depth += _raw_anchor_step(child.content)
        elif child.type == "text" and not link_depth and anchor_depth <= 0:
            start = to_source(child.meta.get("start"), child.content)
            if start is not None:
                spans.append((start, start + len(child.content)))
    return spans


def _raw_anchor_step(html: str) -> int:
    if _RAW_ANCHOR_OPEN.match(html):
        return 1
    return -1 if _RAW_ANCHOR_CLOSE.match(html) else 0


def _offset_mapper(lines, token: Token):
    """A function from (offset in the inline text, text there) to the text's offset in the
    source, or None where the two do not line up (then nothing there is linked)."""
    content_lines = token.content.split("\n")
    first, last = token.map
    if last - first != len(content_lines) or last > len(lines):
        return None
    line_starts, shifts, content_start = [], [], 0
    for index, content_line in enumerate(content_lines):
        line_starts.append(content_start)
        shifts.append(_line_shift(lines[first + index][1], content_line))
        content_start += len(content_line) + 1

    def to_source(offset: int | None, text: str) -> int | None:
        if offset is None or token.content[offset : offset + len(text)] != text:
            return None
        index = bisect_right(line_starts, offset) - 1
        if shifts[index] is None:
            return None
        line_offset, source = lines[first + index]
        column = offset - line_starts[index] + shifts[index]
        if column < 0 or source[column : column + len(text)] != text:
            return None
        return line_offset + column

    return to_source


def _line_shift(source: str, content_line: str) -> int | None:
    """The column in the source line where `content_line` (the line as the block parser
    passed it on: container markers and indentation stripped, maybe trailing spaces too)
    starts; None if it is not the end of the source line."""
    text = content_line.lstrip()
    at = len(source.rstrip()) - len(text.rstrip())
    if at < 0 or source[at : at + len(text)] != text:
        return None
    return at - (len(content_line) - len(text))
