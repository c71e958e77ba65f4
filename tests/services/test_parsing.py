"""The parsing package on real documents: what a user uploading a file would get back.

No app, no worker: bytes in, `ParsedDocument` / `ParseError` / `UnsupportedFileType` out.
"""

from __future__ import annotations

import codecs
import io
import random
import re
import time
import zipfile

import pytest

from tests.files import (
    EXE_BYTES,
    RICH_DOCX_LINK,
    make_big_xml_docx,
    make_corrupt_pdf,
    make_csv,
    make_docx,
    make_encrypted_pdf,
    make_image_only_pdf,
    make_pdf,
    make_png,
    make_rich_docx,
    make_truncated_docx,
    make_zip,
    make_zip_bomb_docx,
)
from webapp.services.parsing import (
    ParsedDocument,
    ParseError,
    UnsupportedFileType,
    detect_file_type,
    parse_document,
)
from webapp.services.parsing.docx import html_to_markdown
from webapp.services.parsing.html import parse_html
from webapp.services.render import markdown_to_safe_html

LONG_PARAGRAPH = " ".join(
    f"Sentence {n} explains why clear writing saves the reader time." for n in range(1, 40)
)


def detect(data: bytes, filename: str) -> str:
    return detect_file_type(io.BytesIO(data), filename)


def squash(text: str) -> str:
    """Whitespace runs to one space (PDF line wrapping is not the text's business)."""
    return " ".join(text.split())


# ---------------------------------------------------------------------------- PDF


def test_pdf_multi_page_text_and_page_count():
    data = make_pdf(["Welcome to the first page.", LONG_PARAGRAPH, "The third page ends it."])

    result = parse_document(data, "pdf")

    assert isinstance(result, ParsedDocument)
    assert result.details["pages"] == 3
    assert "truncated" not in result.details
    text = squash(result.text)
    assert "Welcome to the first page." in text
    assert squash(LONG_PARAGRAPH) in text  # wrapped by multi_cell, nothing lost
    assert text.index("first page") < text.index("Sentence 1 ") < text.index("third page")
    assert result.word_count > 300


def test_pdf_with_user_password_is_refused_with_a_password_message():
    with pytest.raises(ParseError, match=r"(?i)password"):
        parse_document(make_encrypted_pdf("Top secret plans."), "pdf")


def test_pdf_with_aes_user_password_is_refused_with_a_password_message():
    with pytest.raises(ParseError, match=r"(?i)password"):
        parse_document(make_encrypted_pdf("Top secret plans.", algorithm="AES-256"), "pdf")


def test_pdf_with_only_an_owner_password_opens():
    data = make_encrypted_pdf(
        "Printing restricted, reading allowed.", password="", owner_password="owner"
    )

    result = parse_document(data, "pdf")

    assert "Printing restricted, reading allowed." in result.text


def test_image_only_pdf_says_there_is_no_text_and_suggests_a_scan():
    with pytest.raises(ParseError) as error:
        parse_document(make_image_only_pdf(), "pdf")

    message = str(error.value).lower()
    assert "no extractable text" in message
    assert "scan" in message


def test_corrupt_pdf_is_reported_as_damaged():
    with pytest.raises(ParseError, match="damaged"):
        parse_document(make_corrupt_pdf(), "pdf")


def test_truncated_pdf_is_reported_as_damaged():
    data = make_pdf(["Page one.", "Page two.", "Page three."])

    with pytest.raises(ParseError, match="damaged"):
        parse_document(data[: len(data) // 2], "pdf")


# ---------------------------------------------------------------------------- DOCX


def test_docx_headings_and_bullets_become_markdown():
    result = parse_document(make_docx(), "docx")

    lines = result.text.splitlines()
    assert lines[0] == "# Quarterly Report"
    assert "## Highlights" in lines
    assert "Revenue grew by 12% compared with the previous quarter." in lines
    # mammoth writes "- " list items
    assert "- First point" in lines
    assert "- Second point" in lines
    assert (
        lines.index("# Quarterly Report")
        < lines.index("## Highlights")
        < lines.index("- First point")
        < lines.index("- Second point")
    )
    assert "\\" not in result.text


def test_docx_numbered_list_becomes_a_markdown_ordered_list():
    result = parse_document(make_docx(bullets=[], numbered=["Plan", "Write"]), "docx")

    assert "1. Plan" in result.text.splitlines()
    assert "2. Write" in result.text.splitlines()


def test_docx_prose_keeps_markdown_characters_without_backslashes():
    prose = (
        "Costs: 3.5% (approx.) for C:\\data\\file_name.txt - *not* final! #1 [draft] "
        "{x} a+b `code` under_score"
    )

    result = parse_document(make_docx(paragraphs=[prose]), "docx")

    assert prose in result.text.splitlines()


def test_docx_pictures_do_not_become_base64_text():
    result = parse_document(make_docx(picture=make_png((400, 300))), "docx")

    assert "base64" not in result.text
    assert "data:image" not in result.text
    assert "- Second point" in result.text.splitlines()


RICH_DOCX_MARKDOWN = f"""# Annual Review

Sales rose **12%** and *costs fell*; see [the full report]({RICH_DOCX_LINK}).

- Goals
  - Grow revenue
    - Enter two regions
  - Keep costs flat

## Steps

1. Plan
   - Draft an outline
2. Write

### Figures

| Metric | Value |
| --- | --- |
| Revenue \\| net | 12% |
| Costs | -3% |

The end."""


def test_docx_headings_nested_lists_emphasis_link_and_table_become_markdown():
    result = parse_document(make_rich_docx(), "docx")

    assert result.text == RICH_DOCX_MARKDOWN
    assert result.details == {"warnings": 0}


def test_docx_markdown_renders_as_the_document_reads():
    html = markdown_to_safe_html(parse_document(make_rich_docx(), "docx").text)

    squashed = re.sub(r"\s*\n\s*", "", html)
    assert (
        "<ul><li>Goals<ul><li>Grow revenue<ul><li>Enter two regions</li></ul></li>"
        "<li>Keep costs flat</li></ul></li></ul>"
    ) in squashed
    assert "<ol><li>Plan<ul><li>Draft an outline</li></ul></li><li>Write</li></ol>" in squashed
    assert "<strong>12%</strong>" in html and "<em>costs fell</em>" in html
    assert '<a href="https://example.com/report?year=2026&amp;part=2"' in html
    assert "<th>Metric</th><th>Value</th>" in squashed
    assert "<td>Revenue | net</td><td>12%</td>" in squashed


def test_docx_html_links_inside_the_document_and_images_leave_only_text():
    """mammoth writes footnote references and bookmarks as in-page anchors."""
    html = (
        '<p><a id="_Toc1"></a>Claim<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a>'
        '</sup> <img src="data:image/png;base64,AAAA" alt="chart"/>end</p>'
        '<ol><li id="footnote-1"><p>Source. <a href="#footnote-ref-1">↑</a></p></li></ol>'
    )

    assert html_to_markdown(html) == "Claim[1] end\n\n1. Source. ↑"


def test_docx_without_text_is_refused():
    with pytest.raises(ParseError, match="no text"):
        parse_document(make_docx(paragraphs=[], headings=[], bullets=[]), "docx")


def test_truncated_docx_is_refused():
    with pytest.raises(ParseError, match=r"damaged|truncated"):
        parse_document(make_truncated_docx(), "docx")


@pytest.mark.timeout(30)
def test_zip_bomb_docx_is_refused_quickly():
    data = make_zip_bomb_docx()  # ~200 KB declaring 210 MB; built once, cached
    assert len(data) < 1024 * 1024

    started = time.perf_counter()
    with pytest.raises(ParseError, match="zip bomb"):
        parse_document(data, "docx")
    assert time.perf_counter() - started < 2


@pytest.mark.timeout(30)
def test_docx_compressed_suspiciously_well_is_refused_quickly():
    data = make_zip_bomb_docx(expanded_mb=120)  # under the 200 MB total, ratio ~1000:1

    started = time.perf_counter()
    with pytest.raises(ParseError, match="zip bomb"):
        parse_document(data, "docx")
    assert time.perf_counter() - started < 2


@pytest.mark.timeout(30)
def test_docx_with_oversized_document_xml_is_refused_quickly():
    data = make_big_xml_docx(mb=12)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
    assert info.file_size > 10 * 1024 * 1024
    assert info.file_size / info.compress_size < 100  # big, not a bomb

    started = time.perf_counter()
    with pytest.raises(ParseError, match="larger than 10 MB"):
        parse_document(data, "docx")
    assert time.perf_counter() - started < 2


def test_zip_that_is_not_a_word_document_is_refused_with_a_readable_message():
    """An .xlsx (or any Office zip) passes as "docx" by structure; parsing must say why not."""
    workbook = make_zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})

    try:
        file_type = detect(workbook, "figures.xlsx")
    except UnsupportedFileType:
        return
    with pytest.raises(ParseError, match="not a Word document"):
        parse_document(workbook, file_type)


# ---------------------------------------------------------------------------- text

FRENCH = "Le café crème brûlée est délicieux, à côté du gâteau — voilà « l'œuvre »."


@pytest.mark.parametrize("file_type", ["md", "txt"])
def test_utf8_text_comes_through_unchanged(file_type):
    source = "# Notes\n\n" + FRENCH + "\n\n- point *one*\n- point two\n"

    result = parse_document(source.encode("utf-8"), file_type)

    assert result.text == source.strip()
    assert result.details["encoding"] == "utf-8"


def test_utf8_with_bom_loses_the_bom():
    result = parse_document(codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "txt")

    assert result.text == FRENCH


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(encoding):
    bom = {"utf-16": b"", "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}[
        encoding
    ]
    data = bom + (FRENCH + "\r\nSecond line.\r\n").encode(encoding)

    assert detect(data, "notes.txt") == "txt"
    result = parse_document(data, "txt")

    assert result.text == FRENCH + " Second line."  # one paragraph: the wrap is joined


@pytest.mark.parametrize(
    "sample, words",
    [
        # The classic dessert: Central-European code pages decode the same bytes just as
        # "plausibly" (crčme, brűlée); Western text must come out Western.
        ("café crème brûlée. " * 20, "café crème brûlée"),
        ("café crème brûlée. " * 10, "café crème brûlée"),
        (
            "Le café crème brûlée est délicieux, à côté du gâteau, voilà « l'oeuvre ».\n" * 5,
            "crème brûlée est délicieux, à côté du gâteau",
        ),
        (
            "Notre équipe a préparé un rapport détaillé sur les résultats de l'année. Les ventes "
            "ont augmenté grâce à une stratégie très efficace.\n" * 3,
            "équipe a préparé",
        ),
        ("El niño pidió una canción en la montaña; ¿qué año será?\n" * 5, "¿qué año será?"),
    ],
)
@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_european_single_byte_text_is_decoded(sample, words, encoding):
    result = parse_document(sample.encode(encoding), "txt")

    assert words in result.text
    assert result.text == " ".join(sample.split())  # its lines are one paragraph


def test_cp1252_only_characters_are_decoded():
    sample = "Le café crème brûlée coûte 5 € — c'est l'œuvre du chef, à côté du gâteau.\n" * 3

    result = parse_document(sample.encode("cp1252"), "txt")

    assert result.text == " ".join(sample.split())


def test_binary_junk_is_not_accepted_as_text():
    junk = random.Random(3).randbytes(4000)

    with pytest.raises(UnsupportedFileType):
        detect(junk, "notes.txt")
    with pytest.raises(ParseError):
        parse_document(junk, "txt")


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n  \n", codecs.BOM_UTF8, "\n\n".encode("utf-16")]
)
@pytest.mark.parametrize("file_type", ["txt", "md"])
def test_empty_or_blank_text_is_refused(data, file_type):
    with pytest.raises(ParseError, match="no text"):
        parse_document(data, file_type)


# ---------------------------------------------------------------------------- CSV

HEADER = ["topic", "voice", "custom_instructions", "target_length", "channel"]


def test_csv_rows_and_columns():
    data = make_csv(
        [
            ["Remote work tips", "friendly", "Keep it short", "short", "blog"],
            ["Coffee, tea, or water?", "", "", "long", "email"],
            ["Onboarding checklists", "", "", "", ""],
        ],
        header=HEADER,
    )

    result = parse_document(data, "csv")

    assert result.details["rows"] == 3
    assert result.details["columns"] == HEADER
    assert result.details["problems"] == []
    lines = result.text.splitlines()
    assert lines[0].startswith("Remote work tips")
    assert "channel: blog" in lines[0] and "target_length: short" in lines[0]
    assert lines[1].startswith("Coffee, tea, or water?")
    assert lines[2] == "Onboarding checklists"


def test_csv_header_is_case_insensitive_and_topic_only_is_enough():
    result = parse_document(b"Topic\r\nFirst idea\r\nSecond idea\r\n", "csv")

    assert result.details["rows"] == 2
    assert result.details["columns"] == ["topic"]
    assert result.text == "First idea\nSecond idea"


def test_csv_bad_rows_are_listed_with_their_line_number():
    data = make_csv(
        [
            ["Good topic", "", "", "", ""],  # line 2
            ["", "", "", "short", "blog"],  # line 3: empty topic
            ["x" * 201, "", "", "", ""],  # line 4: too long
            ["y" * 200, "", "", "", ""],  # line 5: exactly the limit, fine
            ["Topic b", "", "", "huge", ""],  # line 6: bad target_length
            ["Topic c", "", "", "", "fax"],  # line 7: bad channel
            [],  # line 8: blank, skipped
            ["Topic d", "", "", "medium", "linkedin"],  # line 9
        ],
        header=HEADER,
    )

    result = parse_document(data, "csv")

    assert result.details["rows"] == 3
    problems = {p["row"]: p["message"] for p in result.details["problems"]}
    assert sorted(problems) == [3, 4, 6, 7]
    assert "topic" in problems[3] and "empty" in problems[3]
    assert "200" in problems[4]
    assert "target_length" in problems[6]
    assert "channel" in problems[7]
    assert "Good topic" in result.text and "Topic d" in result.text
    assert "Topic b" not in result.text and "Topic c" not in result.text


def test_csv_without_topic_column_is_refused():
    with pytest.raises(ParseError, match="`topic`"):
        parse_document(make_csv([["A title", "friendly"]], header=["title", "voice"]), "csv")


@pytest.mark.parametrize(
    "data, message",
    [(b"", "empty"), (b"topic\r\n", "no rows"), (b"topic\r\n\r\n  \r\n", "no rows")],
)
def test_csv_without_rows_is_refused(data, message):
    with pytest.raises(ParseError, match=message):
        parse_document(data, "csv")


def test_csv_formula_like_cells_are_kept_verbatim():
    topics = [
        '=HYPERLINK("http://x")',
        "+1 idea for growth",
        "-5 tips for writers",
        "@mention etiquette",
        "=1+2",
    ]
    data = make_csv([[topic, "blog"] for topic in topics], header=["topic", "channel"])

    result = parse_document(data, "csv")

    assert result.details["rows"] == len(topics)
    assert result.details["problems"] == []
    assert result.text.splitlines() == [f"{topic} | channel: blog" for topic in topics]


def test_csv_semicolon_delimited():
    data = make_csv(
        [
            ["Remote work, explained", "blog"],
            ["Coffee, tea or water", "email"],
            ["Third topic", "social"],
        ],
        header=["topic", "channel"],
        delimiter=";",
    )

    result = parse_document(data, "csv")

    assert result.details["rows"] == 3
    assert result.details["columns"] == ["topic", "channel"]
    assert result.text.splitlines()[0] == "Remote work, explained | channel: blog"


def test_csv_tab_delimited():
    data = make_csv(
        [["Remote work, explained", "blog"]], header=["topic", "channel"], delimiter="\t"
    )

    result = parse_document(data, "csv")

    assert result.text == "Remote work, explained | channel: blog"


def test_csv_apostrophes_are_not_taken_for_quotes():
    """A topic starting with an apostrophe ('Tis, '90s) next to a 'quoted' word elsewhere
    must not make the reader treat ' as the quote character."""
    topics = ["Why 'less' is more", "'Tis the season for email", "'90s nostalgia marketing"]
    data = make_csv([[topic, "blog"] for topic in topics], header=["topic", "channel"])

    result = parse_document(data, "csv")

    assert result.details["problems"] == []
    assert result.text.splitlines() == [f"{topic} | channel: blog" for topic in topics]


def test_csv_excel_utf8_with_bom():
    data = codecs.BOM_UTF8 + "topic;channel\r\nCafé culture;blog\r\n".encode()

    result = parse_document(data, "csv")

    assert result.details["columns"] == ["topic", "channel"]
    assert result.text == "Café culture | channel: blog"


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_in_cp1252_is_decoded(delimiter):
    topics = ["Café crème brûlée recipes", "Déjà vu in marketing", "Über-productive mornings"]
    data = make_csv(
        [[topic, "blog"] for topic in topics],
        header=["topic", "channel"],
        delimiter=delimiter,
        encoding="cp1252",
    )

    result = parse_document(data, "csv")

    assert result.details["rows"] == 3
    assert result.text.splitlines() == [f"{topic} | channel: blog" for topic in topics]


# ---------------------------------------------------------------------------- detection


def test_detect_pdf_named_docx_is_pdf():
    assert detect(make_pdf(["Hello."]), "report.docx") == "pdf"


def test_detect_docx_named_pdf_is_docx():
    assert detect(make_docx(), "report.pdf") == "docx"


def test_detect_truncated_docx_is_left_to_the_docx_parser():
    assert detect(make_truncated_docx(), "report.docx") == "docx"


@pytest.mark.parametrize("filename", ["invoice.pdf", "invoice.docx", "invoice.txt", "invoice"])
def test_detect_exe_is_refused_whatever_its_name(filename):
    with pytest.raises(UnsupportedFileType):
        detect(EXE_BYTES, filename)


@pytest.mark.parametrize("filename", ["notes.pdf", "notes.docx"])
def test_detect_plain_text_named_as_a_binary_format_is_refused(filename):
    with pytest.raises(UnsupportedFileType, match="plain text"):
        detect(b"Just some notes, typed in a text editor.\n", filename)


@pytest.mark.parametrize(
    "filename, expected",
    [
        ("notes.md", "md"),
        ("notes.markdown", "md"),
        ("NOTES.MD", "md"),
        ("topics.csv", "csv"),
        ("notes.txt", "txt"),
        ("README", "txt"),
        ("notes.text", "txt"),
        ("archive.tar.txt", "txt"),
    ],
)
def test_detect_text_formats_by_name(filename, expected):
    assert detect(b"# Title\n\nSome text, with a comma.\n", filename) == expected


def test_detect_utf8_text_with_a_stray_control_character_is_still_text():
    """Text pasted from Word carries vertical tabs (\\x0b) for its manual line breaks."""
    data = "Dear team,\x0bplease find the figures below.\nRevenue: up 12 % — café included.\n"

    assert detect(data.encode("utf-8"), "notes.txt") == "txt"


def test_detect_empty_file_is_refused():
    with pytest.raises(UnsupportedFileType, match="empty"):
        detect(b"", "notes.txt")


@pytest.mark.parametrize("filename", ["image.png", "image.pdf", "image.txt", "image"])
def test_detect_png_is_refused(filename):
    with pytest.raises(UnsupportedFileType):
        detect(make_png(), filename)


@pytest.mark.parametrize("filename", ["archive.zip", "archive.docx", "archive.txt", "archive"])
def test_detect_zip_that_is_not_a_word_document_is_refused(filename):
    with pytest.raises(UnsupportedFileType):
        detect(make_zip(), filename)


@pytest.mark.parametrize("filename", ["archive.zip", "archive.txt", "archive"])
def test_detect_uncompressed_zip_is_refused(filename):
    """A stored (uncompressed) zip of text files is mostly text bytes; it is still a zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("notes.txt", "Some plain notes here.\n" * 500)

    with pytest.raises(UnsupportedFileType):
        detect(out.getvalue(), filename)


def test_detect_leaves_the_stream_at_the_start():
    stream = io.BytesIO(make_docx())
    stream.seek(100)

    assert detect_file_type(stream, "report.docx") == "docx"
    assert stream.tell() == 0
    with pytest.raises(UnsupportedFileType):
        detect_file_type(stream := io.BytesIO(EXE_BYTES), "x.pdf")
    assert stream.tell() == 0


@pytest.mark.parametrize(
    "make, filename, expected",
    [
        (lambda: make_pdf(["Detected, then parsed."]), "upload.bin", "Detected, then parsed."),
        (make_docx, "upload.pdf", "# Quarterly Report"),
        (lambda: b"topic\r\nDetected topic\r\n", "upload.csv", "Detected topic"),
        (lambda: "Caf\u00e9 notes\n".encode("utf-8"), "upload.md", "Café notes"),
    ],
)
def test_detect_then_parse(make, filename, expected):
    data = make()

    result = parse_document(data, detect(data, filename))

    assert expected in result.text


# ---------------------------------------------------------------------------- HTML

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Why Small Teams Ship Faster | The Example Blog</title></head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/about">About us</a></li>
<li><a href="/pricing">Pricing plans</a></li></ul></nav></header>
<main><article><h1>Why Small Teams Ship Faster</h1>
<p>Small teams make decisions quickly because fewer people need to agree before work can
start. The shorter feedback loops add up over a quarter.</p>
<p>Communication overhead grows with every person added to a project, and meetings multiply
faster than the headcount does.</p>
<p>Ownership is clearer when a handful of people are responsible for a product, so problems
are noticed and fixed sooner.</p>
<p>None of this means large organisations cannot move fast; they can, when they split work
into independent, well-defined pieces.</p>
</article></main>
<footer><p>Copyright 2024 Example Corp. All rights reserved. Cookie settings.</p></footer>
</body></html>"""


@pytest.mark.parametrize("html", [ARTICLE, ARTICLE.encode("utf-8")], ids=["str", "bytes"])
def test_html_article_main_text_and_title(html):
    result = parse_html(html, "https://example.com/blog/small-teams")

    text = squash(result.text)
    assert "Small teams make decisions quickly" in text
    assert "meetings multiply faster than the headcount does." in text
    assert "problems are noticed and fixed sooner." in text
    assert "split work into independent, well-defined pieces." in text
    assert "Pricing plans" not in text
    assert "Copyright 2024" not in text
    assert result.details["title"] == "Why Small Teams Ship Faster"


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<html><head><title>Nothing</title></head><body></body></html>",
        "<html><head><title>Script only</title><script>var x = 'not text';</script>"
        "<style>body { color: red }</style></head><body><script>render()</script></body></html>",
    ],
)
def test_html_without_text_is_refused(html):
    with pytest.raises(ParseError, match="No readable text"):
        parse_html(html, "https://example.com/empty")


# ---------------------------------------------------------------- read as written


def test_a_pdf_reads_as_written_lines_the_page_wrapped_are_joined():
    wrapped = (
        "The survey closed in March. According to the newsletter team, 82%\n"
        "of subscribers are still active after a year, and most of them open\n"
        "every issue."
    )
    text = parse_document(make_pdf([wrapped]), "pdf").text

    assert "82% of subscribers are still active after a year" in text
    assert "most of them open every issue." in text
    assert "\n" not in text  # one paragraph


def test_ligatures_and_compatibility_characters_are_normalised():
    data = "Co\ufb00ee, \ufb01rst and \ufb02ow: ＡＰＩ\u00a0keys.".encode()

    assert parse_document(data, "txt").text == "Coffee, first and flow: API keys."


def test_markdown_structure_survives_joining():
    source = (
        "# Remote teams\n\nAsync standups save time for\nteams across time zones.\n\n"
        "- one item\n- another item\n  that wraps\n\n```\nkeep these\nlines apart\n```\n"
    )
    text = parse_document(source.encode(), "md").text

    assert text.split("\n") == [
        "# Remote teams",
        "",
        "Async standups save time for teams across time zones.",
        "",
        "- one item",
        "- another item that wraps",
        "",
        "```",
        "keep these",
        "lines apart",
        "```",
    ]


def test_a_heading_line_of_a_pdf_becomes_a_heading_of_its_own():
    page = "Results\nThe newsletter grew by a third in the year to March, its best year yet."

    assert parse_document(make_pdf([page]), "pdf").text == (
        "## Results\n\nThe newsletter grew by a third in the year to March, its best year yet."
    )


def test_each_pdf_page_start_is_recorded_so_a_passage_knows_its_page():
    from webapp.services.parsing.pdf import page_at

    pages = [
        "Page one talks about onboarding new writers.",
        LONG_PARAGRAPH + " The middle page holds the pricing decision.",
        "Page three is the appendix.",
    ]
    result = parse_document(make_pdf(pages), "pdf")
    starts = result.details["page_starts"]

    assert len(starts) == 3 and starts[0] == 0
    for sentence, page in (
        ("onboarding new writers", 1),
        ("Sentence 20 explains", 2),
        ("the pricing decision", 2),
        ("the appendix", 3),
    ):
        assert page_at(starts, result.text.index(sentence)) == page, sentence


def test_an_underlined_heading_stays_a_heading_of_its_own():
    from webapp.services.parsing.reflow import reflow

    text = "Mammoth converter\n=================\nIt reads docx\nfiles.\n\nUsage\n-----\nRun it."
    assert reflow(text) == ("# Mammoth converter\nIt reads docx files.\n\n## Usage\nRun it.")


def test_a_pdf_paragraph_ends_where_a_short_line_ends_a_sentence():
    first = (
        "The first paragraph runs long enough to wrap over the width of the page, so that "
        "its last line is short. It ends."
    )
    second = (
        "The second paragraph begins on its own line and wraps as well, a little later on, "
        "because it is long too."
    )
    result = parse_document(make_pdf([f"{first}\n{second}"]), "pdf")
    assert result.text == f"{first}\n\n{second}"
