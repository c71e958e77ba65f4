"""Sample documents built in memory, as bytes: real PDFs, DOCX files, text and CSV.

Used by the parsing unit tests and by any test that uploads a file. The function names
and their default outputs are stable; extend them with keyword arguments, do not change
what a plain call returns.

    make_pdf(["page one", "page two"])        text PDF, one string per page
    make_encrypted_pdf("text")                 PDF that needs the user password "secret"
    make_image_only_pdf()                      a page with shapes and an image, no text
    make_corrupt_pdf()                         "%PDF-" then garbage
    make_docx()                                "Quarterly Report" with a subheading,
                                               a paragraph and two bullets
    make_rich_docx()                           headings, bold/italic, a link, nested
                                               lists, a table (Word's own markup)
    make_truncated_docx()                      a valid DOCX cut in half
    make_zip_bomb_docx()                       ~200 KB file declaring > 200 MB of XML
    make_big_xml_docx(mb=12)                   genuine, distinct text; XML > 10 MB
    EXE_BYTES                                  a Windows executable's start ("MZ")
    make_png()                                 a small real PNG image
    make_zip()                                 an ordinary zip archive, not a DOCX
    make_csv(rows, header=...)                 CSV text as bytes, any encoding/delimiter
"""

from __future__ import annotations

import csv
import functools
import io
import random
import zipfile

# ---------------------------------------------------------------------------- PDF


def make_pdf(pages: list[str] | tuple[str, ...] = ("Hello from a PDF.",)) -> bytes:
    """A text-based PDF (fpdf2, Helvetica), one page per string; long strings wrap.

    Only Latin-1 characters can be written with the core fonts."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def make_encrypted_pdf(
    text: str = "Confidential text.",
    password: str = "secret",
    owner_password: str | None = None,
    algorithm: str | None = None,
) -> bytes:
    """A text PDF encrypted with a user password (it cannot be opened without it).

    `password=""` with an `owner_password` gives a PDF that opens without a password but
    carries permission restrictions. `algorithm`: pypdf's name ("RC4-128" by default,
    "AES-128", "AES-256"; AES needs the `cryptography` package to read back)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(make_pdf([text]))).pages:
        writer.add_page(page)
    writer.encrypt(
        user_password=password,
        owner_password=owner_password or password + "-owner",
        algorithm=algorithm,
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_image_only_pdf() -> bytes:
    """A PDF whose only page holds drawn shapes and a raster image: no text at all (what
    a scanned document looks like to a text extractor)."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (200, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 190, 40), fill="black")
    draw.ellipse((60, 50, 140, 110), outline="black", width=4)
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_fill_color(200, 30, 30)
    pdf.rect(20, 20, 80, 40, style="F")
    pdf.set_draw_color(0, 0, 0)
    pdf.line(20, 80, 190, 80)
    pdf.ellipse(120, 20, 50, 30, style="D")
    pdf.image(image, x=20, y=100, w=100)
    return bytes(pdf.output())


def make_corrupt_pdf() -> bytes:
    """Starts like a PDF ("%PDF-1.7"), then nothing a PDF reader can use."""
    rng = random.Random(1234)
    junk = rng.randbytes(4096).replace(b"%%EOF", b"")
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + junk


# ---------------------------------------------------------------------------- DOCX


def make_docx(
    paragraphs: list[str] | tuple[str, ...] = (
        "Revenue grew by 12% compared with the previous quarter.",
    ),
    headings: list[tuple[int, str]] | tuple[tuple[int, str], ...] = (
        (1, "Quarterly Report"),
        (2, "Highlights"),
    ),
    bullets: list[str] | tuple[str, ...] = ("First point", "Second point"),
    numbered: list[str] | tuple[str, ...] = (),
    picture: bytes | None = None,
) -> bytes:
    """A Word document (python-docx): the first heading, then the other headings, the
    paragraphs, a "List Bullet" list, an optional "List Number" list and an optional
    picture (image bytes), in that order.

    `headings` is a list of (level, text); the default gives "Quarterly Report" (Heading 1)
    and "Highlights" (Heading 2)."""
    from docx import Document

    document = Document()
    for level, text in headings:
        document.add_heading(text, level=level)
    for text in paragraphs:
        document.add_paragraph(text)
    for text in bullets:
        document.add_paragraph(text, style="List Bullet")
    for text in numbered:
        document.add_paragraph(text, style="List Number")
    if picture is not None:
        document.add_picture(io.BytesIO(picture))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


RICH_DOCX_LINK = "https://example.com/report?year=2026&part=2"


def make_rich_docx() -> bytes:
    """A Word document with what authors really use, written as Word writes it:

    Heading 1 "Annual Review", then a paragraph "Sales rose **12%** and *costs fell*; see
    [the full report](RICH_DOCX_LINK).", a bulleted list nested three levels deep (Goals >
    Grow revenue > Enter two regions, then Keep costs flat), Heading 2 "Steps", a numbered
    list with a nested bullet (Plan > Draft an outline, then Write), Heading 3 "Figures" and
    a 3x2 table whose header row is Metric | Value (cells "Revenue | net", "12%"; "Costs",
    "-3%"), then the paragraph "The end."
    """
    from docx import Document

    document = Document()
    bullets, numbers = _add_multilevel_numbering(document)
    document.add_heading("Annual Review", level=1)
    paragraph = document.add_paragraph("Sales rose ")
    paragraph.add_run("12%").bold = True
    paragraph.add_run(" and ")
    paragraph.add_run("costs fell").italic = True
    paragraph.add_run("; see ")
    _add_hyperlink(paragraph, RICH_DOCX_LINK, "the full report")
    paragraph.add_run(".")
    for level, text in (
        (0, "Goals"),
        (1, "Grow revenue"),
        (2, "Enter two regions"),
        (1, "Keep costs flat"),
    ):
        _numbered(document.add_paragraph(text), bullets, level)
    document.add_heading("Steps", level=2)
    for num_id, level, text in (
        (numbers, 0, "Plan"),
        (bullets, 1, "Draft an outline"),
        (numbers, 0, "Write"),
    ):
        _numbered(document.add_paragraph(text), num_id, level)
    document.add_heading("Figures", level=3)
    table = document.add_table(rows=3, cols=2)
    for row, cells in enumerate((("Metric", "Value"), ("Revenue | net", "12%"), ("Costs", "-3%"))):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    document.add_paragraph("The end.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_multilevel_numbering(document) -> tuple[int, int]:
    """Two numbering definitions with three levels each (the template's are single-level):
    the numId of a bulleted one and of a decimal one."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    ids = []
    for number, fmt, text in ((901, "bullet", "\u2022"), (902, "decimal", "%1.")):
        levels = "".join(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text.replace("1", str(level + 1))}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{720 * (level + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
            for level in range(3)
        )
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{number}">'
            f'<w:multiLevelType w:val="hybridMultilevel"/>{levels}'
            "</w:abstractNum>"
        )
        numbering.num_lst[0].addprevious(abstract)  # abstractNum elements come first
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{number}">'
                f'<w:abstractNumId w:val="{number}"/></w:num>'
            )
        )
        ids.append(number)
    return ids[0], ids[1]


def _numbered(paragraph, num_id: int, level: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/>'
            "</w:numPr>"
        )
    )


def _add_hyperlink(paragraph, url: str, text: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    paragraph._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w", "r")} r:id="{rel_id}"><w:r><w:t>{text}</w:t></w:r>'
            "</w:hyperlink>"
        )
    )


def make_truncated_docx() -> bytes:
    """A valid DOCX cut in half: the zip's central directory is missing."""
    data = make_docx()
    return data[: len(data) // 2]


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOC_HEAD = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}"><w:body>'
).encode()
_DOC_TAIL = b"</w:body></w:document>"


def _minimal_docx(write_document) -> bytes:
    """A minimal DOCX package whose word/document.xml is streamed by `write_document(f)`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as document:
            document.write(_DOC_HEAD)
            write_document(document)
            document.write(_DOC_TAIL)
    return out.getvalue()


@functools.cache
def make_zip_bomb_docx(expanded_mb: int = 210) -> bytes:
    """A DOCX-shaped zip whose word/document.xml expands to `expanded_mb` MB of spaces
    (declared in the zip directory); the file itself is ~200 KB. Built in 1 MB chunks, so
    building it never holds the expanded data (~0.6 s, then cached)."""
    chunk = b" " * (1024 * 1024)

    def write(document):
        for _ in range(expanded_mb):
            document.write(chunk)

    return _minimal_docx(write)


_WORDS = (
    "market",
    "quarter",
    "revenue",
    "customer",
    "product",
    "growth",
    "team",
    "launch",
    "region",
    "forecast",
    "margin",
    "supplier",
    "contract",
    "pricing",
    "service",
    "channel",
    "partner",
    "budget",
    "review",
    "strategy",
    "report",
    "feature",
)


@functools.cache
def make_big_xml_docx(mb: int = 12) -> bytes:
    """A genuine DOCX whose word/document.xml is more than `mb` MB of distinct paragraphs
    (numbered sentences of varied words): large, but compressing only like real text, so
    it is not a zip bomb by ratio."""
    rng = random.Random(42)
    target = mb * 1024 * 1024

    def write(document):
        written, number = 0, 0
        while written < target:
            lines = []
            for _ in range(200):
                number += 1
                words = " ".join(rng.choice(_WORDS) for _ in range(14))
                lines.append(f"<w:p><w:r><w:t>Paragraph {number}: {words}.</w:t></w:r></w:p>")
            block = "".join(lines).encode()
            document.write(block)
            written += len(block)

    return _minimal_docx(write)


# ---------------------------------------------------------------------------- other

EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00"
    + b"\x00" * 40
    + b"PE\x00\x00L\x01\x03\x00"
    + random.Random(7).randbytes(2048)
)
"""The start of a Windows executable ("MZ" header, then binary): "an EXE renamed .pdf"."""


def make_png(size: tuple[int, int] = (16, 16)) -> bytes:
    """A real PNG image (Pillow)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def make_zip(files: dict[str, bytes | str] | None = None) -> bytes:
    """An ordinary zip archive (not a Word document): by default two text files."""
    files = (
        files
        if files is not None
        else {"notes.txt": "Some notes.\n" * 50, "data/readme.md": "# Readme\n"}
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def make_csv(
    rows: list[list[str]] | list[tuple[str, ...]] = (("First topic",),),
    header: list[str] | tuple[str, ...] | None = ("topic",),
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> bytes:
    """CSV bytes: `header` (None for no header row) then `rows`, quoted where needed
    (csv.QUOTE_MINIMAL), lines ending in CRLF, in `encoding`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)
