"""A post as a Word document (python-docx): title, headings, paragraphs, lists, bold and
italic, real hyperlinks, citation markers as superscript numbers, and a Sources list."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor

from ...vocabulary import Channel
from ..footnotes import MARKERS, Footnote
from ..render import markdown_parser
from .markdown import location

_PARSER = markdown_parser()
LINK_SCHEMES = ("http://", "https://", "mailto:")
LINK_COLOUR = RGBColor(0x1A, 0x5F, 0xB4)
MONOSPACE = "Courier New"


def post_docx(post, footnotes: list[Footnote]) -> bytes:
    """The .docx file's bytes."""
    content = post.content or {}
    title = content.get("title") or post.topic or "Post"
    document = Document()
    document.core_properties.title = title[:255]
    document.add_heading(title, level=0)
    if post.channel == Channel.TWITTER:
        for item in content.get("thread") or []:
            document.add_paragraph(item, style="List Number")
    elif post.channel == Channel.LINKEDIN:
        for text in (content.get("text") or "").split("\n\n"):
            if text.strip():
                document.add_paragraph(text.strip())
    else:
        if post.channel == Channel.EMAIL:
            _labelled(document, "Subject", content.get("subject"))
            _labelled(document, "Preheader", content.get("preheader"))
        _BodyWriter(document, {f.n for f in footnotes}).write(_without_title(content))
    _sources(document, footnotes)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _without_title(content: dict) -> str:
    """The Markdown without its first `# ` line (the document's title already)."""
    markdown = (content.get("markdown") or "").lstrip()
    if markdown.startswith("# "):
        return markdown.split("\n", 1)[1] if "\n" in markdown else ""
    return markdown


def _labelled(document, label: str, value: str | None) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(value or "")


def _sources(document, footnotes: list[Footnote]) -> None:
    """A "Sources" heading and a numbered list whose numbers are the footnotes' own."""
    if not footnotes:
        return
    document.add_heading("Sources", level=1)
    for footnote in footnotes:
        quote = " ".join(footnote.quote.split())
        text = f"{footnote.source_name}{location(footnote)} — “{quote}”"
        paragraph = document.add_paragraph(text, style="List Number")
        _number(paragraph, new_numbering(document, "List Number", footnote.n))


def new_numbering(document, style: str, start: int) -> int:
    """A numbering of its own for a list in `style` (a "List Number" style), counting from
    `start`: without one, every numbered list of the document would continue the last."""
    numbering = document.part.numbering_part.numbering_definitions._numbering
    style_num = document.styles[style].element.pPr.numPr.numId.val
    num = numbering.add_num(numbering.num_having_numId(style_num).abstractNumId.val)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return num.numId


def _number(paragraph, num_id: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


class _BodyWriter:
    """Walks markdown-it's tokens and writes paragraphs and runs."""

    def __init__(self, document, known: set[int]):
        self.document = document
        self.known = known
        self.lists: list[dict] = []  # {"ordered", "start", "num_id"}, innermost last
        self.list_item_opened = False
        self.quotes = 0
        self.paragraph = None

    def write(self, markdown: str) -> None:
        tokens = _PARSER.parse(markdown)
        i = 0
        while i < len(tokens):
            i = self._block(tokens, i)

    def _block(self, tokens, i: int) -> int:
        token = tokens[i]
        kind = token.type
        if kind == "heading_open":
            level = min(int(token.tag[1]), 3)
            self.paragraph = self.document.add_heading("", level=level)
        elif kind == "paragraph_open":
            style = self._paragraph_style()
            self.paragraph = self.document.add_paragraph(style=style)
            if style and style.startswith("List Number"):
                self._number_in_list(style)
        elif kind == "inline" and self.paragraph is not None:
            _Runs(self.paragraph, self.known).write(token.children or [])
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrs.get("start") or 1)
            self.lists.append({"ordered": kind == "ordered_list_open", "start": start})
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            self.list_item_opened = True
        elif kind == "blockquote_open":
            self.quotes += 1
        elif kind == "blockquote_close":
            self.quotes -= 1
        elif kind in ("fence", "code_block"):
            run = self.document.add_paragraph().add_run(token.content.rstrip("\n"))
            run.font.name = MONOSPACE
        elif kind == "table_open":
            return _table(self.document, tokens, i, self.known)
        return i + 1

    def _paragraph_style(self) -> str | None:
        if self.list_item_opened and self.lists:
            self.list_item_opened = False
            name = "List Number" if self.lists[-1]["ordered"] else "List Bullet"
            depth = min(len(self.lists), 3)
            return name if depth == 1 else f"{name} {depth}"
        return "Quote" if self.quotes else None

    def _number_in_list(self, style: str) -> None:
        current = self.lists[-1]
        if "num_id" not in current:
            current["num_id"] = new_numbering(self.document, style, current["start"])
        _number(self.paragraph, current["num_id"])


def _table(document, tokens, i: int, known: set[int]) -> int:
    """A Markdown table as a Word table; the index after it."""
    end = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
    rows: list[list] = []
    for token in tokens[i:end]:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(token.children or [])
    width = max((len(row) for row in rows), default=0)
    if width:
        table = document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, children in enumerate(row):
                _Runs(table.cell(r, c).paragraphs[0], known).write(children)
    return end + 1


class _Runs:
    """An inline token's children as runs of one paragraph (bold, italic, code, links,
    superscript footnote numbers)."""

    def __init__(self, paragraph, known: set[int]):
        self.paragraph = paragraph
        self.known = known
        self.bold = self.italic = self.strike = False
        self.link = None  # the open <w:hyperlink>, when inside a kept link
        self.hidden = False  # inside raw <script> or <style>: its text is left out

    def write(self, children) -> None:
        for child in children:
            kind = child.type
            if kind == "html_inline":
                self._raw_html(child.content)
            elif self.hidden:
                continue
            elif kind == "text":
                self._text(child.content)
            elif kind in ("strong_open", "strong_close"):
                self.bold = kind == "strong_open"
            elif kind in ("em_open", "em_close"):
                self.italic = kind == "em_open"
            elif kind in ("s_open", "s_close"):
                self.strike = kind == "s_open"
            elif kind == "code_inline":
                self._run(child.content).font.name = MONOSPACE
            elif kind == "softbreak":
                self._run(" ")
            elif kind == "hardbreak":
                self._run("").add_break()
            elif kind == "link_open":
                self.link = _open_hyperlink(self.paragraph, str(child.attrs.get("href") or ""))
            elif kind == "link_close":
                self.link = None
            elif kind == "image":
                self._run(child.content)

    def _raw_html(self, tag: str) -> None:
        """Raw HTML is left out, as the sanitiser leaves it out of pages; so is the text
        of a script or style element."""
        name = re.match(r"<(/?)(script|style)\b", tag, re.I)
        if name:
            self.hidden = not name.group(1)

    def _text(self, text: str) -> None:
        if self.link is not None:  # a marker in a link's text stays as written
            self._run(text)
            return
        last = 0
        for match in MARKERS.finditer(text):
            numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
            if not numbers or any(n not in self.known for n in numbers):
                continue
            if match.start() > last:
                self._run(text[last : match.start()])
            marker = ",".join(str(n) for n in dict.fromkeys(numbers))
            self._run(marker).font.superscript = True
            last = match.end()
        if text[last:] or last == 0:
            self._run(text[last:])

    def _run(self, text: str):
        run = self.paragraph.add_run(text)
        run.bold = self.bold or None
        run.italic = self.italic or None
        if self.strike:
            run.font.strike = True
        if self.link is not None:
            run.font.color.rgb = LINK_COLOUR
            run.font.underline = True
            self.link.append(run._r)  # moves the run into the hyperlink
        return run


def _open_hyperlink(paragraph, href: str):
    """A `<w:hyperlink>` to `href` at the paragraph's end, or None for a scheme pages do
    not link either (its text is then written as plain text)."""
    if not href.lower().startswith(LINK_SCHEMES):
        return None
    rel_id = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    paragraph._p.append(link)
    return link
