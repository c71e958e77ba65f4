#!/usr/bin/env python
"""Typeset the PDFs and the DOCX of the quality corpus (`bench/corpus/`) from their text
sources on a Debian 12 machine, as `bench/corpus/SOURCES.md` describes. Run once; the
files are committed, so the benchmark itself never needs this.

    .venv/bin/python bench/make_corpus_files.py

The words are the source's: Markdown becomes formatting (heading marks and `====` /
`----` underlines bold headings or Word headings, `*` items list items, fenced code a
monospace font, links their text; HTML comments and emphasis marks go), a paragraph's
hard-wrapped lines are joined and wrapped again by the page. fpdf2's core fonts are
Latin-1: the PDF sources are ASCII.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from docx import Document
from docx.shared import Pt
from fpdf import FPDF

CORPUS = Path(__file__).resolve().parent / "corpus"
GYP = "/usr/lib/node_modules/npm/node_modules/node-gyp/gyp/docs/LanguageSpecification.md"
FILES = {
    "mpl-2.0.pdf": ("Mozilla Public License 2.0", "/usr/share/common-licenses/MPL-2.0"),
    "gyp-language-specification.pdf": ("GYP Language Specification", GYP),
    "node-permissions.docx": ("Permissions", "/usr/share/doc/nodejs/api/permissions.md"),
}
_UNDERLINE = re.compile(r"^\s*(=+|-{3,})\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")


def inline(text: str) -> str:
    """Markdown inline markup as plain words: links become their text."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", text)
    return re.sub(r"`|\*\*", "", text)


def blocks(text: str) -> list[tuple[str, int, str]]:
    """(kind, level, content) in reading order: kind is heading (level 1-3), item, code or
    text."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    lines = text.splitlines()
    result, current, code, fenced = [], None, [], False

    def flush():
        nonlocal current
        if current:
            result.append((current[0], 0, inline(" ".join(current[1]))))
        current = None

    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.strip().startswith("```"):
            flush()
            if fenced:
                result.append(("code", 0, "\n".join(code)))
                code.clear()
            fenced = not fenced
        elif fenced:
            code.append(line)
        elif _UNDERLINE.match(line):
            continue
        elif line.startswith("#") or (line.strip() and _UNDERLINE.match(following)):
            flush()
            level = min(3, len(line) - len(line.lstrip("#")) or 1)
            result.append(("heading", level, inline(line.lstrip("#").strip())))
        elif not line.strip():
            flush()
        elif _ITEM.match(line):
            flush()
            current = ("item", [_ITEM.sub("", line).strip()])
        else:
            if current is None:
                current = ("text", [])
            current[1].append(line.strip().lstrip("> ").strip())
    flush()
    return result


def typeset_pdf(title: str, text: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    for kind, _, content in blocks(text):
        if kind == "heading":
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(0, 7, content)
        elif kind == "code":
            pdf.set_font("Courier", size=9)
            pdf.multi_cell(0, 4.5, content)
        else:
            pdf.set_font("Helvetica", size=11)
            pdf.multi_cell(0, 5.5, f"- {content}" if kind == "item" else content)
        pdf.ln(3)
    return bytes(pdf.output())


def typeset_docx(title: str, text: str) -> bytes:
    import io

    document = Document()
    document.core_properties.title = title
    for kind, level, content in blocks(text):
        if kind == "heading":
            document.add_heading(content, level=level)
        elif kind == "item":
            document.add_paragraph(content, style="List Bullet")
        elif kind == "code":
            run = document.add_paragraph().add_run(content)
            run.font.name, run.font.size = "Courier New", Pt(9)
        else:
            document.add_paragraph(content)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main() -> int:
    for name, (title, source) in FILES.items():
        text = Path(source).read_text(encoding="utf-8")
        data = typeset_pdf(title, text) if name.endswith(".pdf") else typeset_docx(title, text)
        (CORPUS / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
