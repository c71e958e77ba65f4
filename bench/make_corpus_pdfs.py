#!/usr/bin/env python
"""Typeset the PDFs of the quality corpus (`bench/corpus/*.pdf`) from their text sources
on a Debian machine, as `bench/corpus/SOURCES.md` describes. Run once; the PDFs are
committed, so the benchmark itself never needs this.

    .venv/bin/python bench/make_corpus_pdfs.py

The words are the source's, unchanged: Markdown heading marks and `====` / `----`
underlines become bold headings, a paragraph's hard-wrapped lines are joined and wrapped
again by the page, code blocks are set in Courier line by line. fpdf2's core fonts
(Latin-1): both sources are ASCII.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from fpdf import FPDF

CORPUS = Path(__file__).resolve().parent / "corpus"
PDFS = {
    "mpl-2.0.pdf": ("Mozilla Public License 2.0", "/usr/share/common-licenses/MPL-2.0"),
    "gyp-language-specification.pdf": (
        "GYP Language Specification",
        "/usr/lib/node_modules/npm/node_modules/node-gyp/gyp/docs/LanguageSpecification.md",
    ),
}
_UNDERLINE = re.compile(r"^\s*(=+|-{3,})\s*$")


def blocks(text: str) -> list[tuple[str, str]]:
    """("heading" | "code" | "text", content) in reading order."""
    result, paragraph, code, fenced = [], [], [], False
    lines = text.splitlines()

    def flush():
        if paragraph:
            result.append(("text", " ".join(line.strip() for line in paragraph)))
            paragraph.clear()

    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.strip().startswith("```"):
            flush()
            if fenced:
                result.append(("code", "\n".join(code)))
                code.clear()
            fenced = not fenced
        elif fenced:
            code.append(line)
        elif _UNDERLINE.match(line):
            continue
        elif line.startswith("#") or (line.strip() and _UNDERLINE.match(following)):
            flush()
            result.append(("heading", line.lstrip("#").strip()))
        elif not line.strip():
            flush()
        else:
            paragraph.append(line)
    flush()
    return result


def typeset(title: str, text: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    for kind, content in blocks(text):
        if kind == "heading":
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(0, 7, content)
        elif kind == "code":
            pdf.set_font("Courier", size=9)
            pdf.multi_cell(0, 4.5, content)
        else:
            pdf.set_font("Helvetica", size=11)
            pdf.multi_cell(0, 5.5, content)
        pdf.ln(3)
    return bytes(pdf.output())


def main() -> int:
    for name, (title, source) in PDFS.items():
        data = typeset(title, Path(source).read_text(encoding="utf-8"))
        (CORPUS / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
