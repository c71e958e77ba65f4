"""DOCX to Markdown, after checking the zip: mammoth writes HTML, markdownify turns it into
Markdown (headings, nested lists, tables, links, bold and italic kept; pictures become
their alt text)."""

from __future__ import annotations

import io
import zipfile
from xml.etree.ElementTree import ParseError as ElementTreeParseError
from xml.parsers.expat import ExpatError

import mammoth
from mammoth import html as mammoth_html
from markdownify import ATX, MarkdownConverter

from .base import ParsedDocument, ParseError, clean_text
from .reflow import normalise_characters

MAX_ENTRIES = 2000
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
# mammoth needs ~20x the XML size in memory and ~1.5 s per MB on this class of machine.
MAX_DOCUMENT_XML = 10 * 1024 * 1024
MAX_RATIO = 100


class ReferenceMarkdownConverter(MarkdownConverter):
    """markdownify for reference text: ATX headings, `-` bullets at every depth, the prose's
    own `*`, `_` and `#` left as written (escaping them reads badly in prompts), pipes
    escaped in table cells only (there they would end the cell), links inside the document
    (footnote references, bookmarks) reduced to their text."""

    def __init__(self, **options):
        super().__init__(
            heading_style=ATX,
            bullets="-",
            escape_asterisks=False,
            escape_underscores=False,
            escape_misc=False,
            table_infer_header=True,
            strip=["img"],
            **options,
        )

    def convert_a(self, el, text, parent_tags):
        if str(el.get("href") or "").startswith("#"):
            return text
        return super().convert_a(el, text, parent_tags)

    def convert_td(self, el, text, parent_tags):
        return super().convert_td(el, text.replace("|", "\\|"), parent_tags)

    def convert_th(self, el, text, parent_tags):
        return super().convert_th(el, text.replace("|", "\\|"), parent_tags)


def html_to_markdown(html: str) -> str:
    """mammoth's HTML as Markdown (see ReferenceMarkdownConverter)."""
    return ReferenceMarkdownConverter().convert(html)


def check_archive(data: bytes) -> None:
    """Refuse zip bombs and broken archives before mammoth expands anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ParseError("The DOCX file is damaged or truncated and cannot be opened.") from exc
    if len(entries) > MAX_ENTRIES:
        raise ParseError(
            f"The DOCX file has {len(entries)} parts; at most {MAX_ENTRIES} are accepted."
        )
    names = {entry.filename: entry for entry in entries}
    document = names.get("word/document.xml")
    if document is None:
        raise ParseError(
            "The file is a zip archive but not a Word document (no word/document.xml)."
        )
    if sum(entry.file_size for entry in entries) > MAX_TOTAL_UNCOMPRESSED:
        raise ParseError("The DOCX file expands to more than 200 MB; it looks like a zip bomb.")
    for entry in entries:
        if (
            entry.compress_size
            and entry.file_size / entry.compress_size > MAX_RATIO
            and entry.file_size > 1024 * 1024
        ):
            raise ParseError(
                "The DOCX file is compressed suspiciously well (a zip bomb?) and was not expanded."
            )
    if document.file_size > MAX_DOCUMENT_XML:
        raise ParseError(
            "The document's text part is larger than 10 MB; split the document "
            "and upload the parts."
        )


def describe_image(image) -> list:
    """Images become their alt text: mammoth's default inlines them as base64 data URIs,
    which would bloat the parsed text (and every prompt built from it) by megabytes."""
    alt = (image.alt_text or "").strip()
    return [mammoth_html.text(f"[Image: {alt}]")] if alt else []


def parse_docx(data: bytes) -> ParsedDocument:
    """The document's text as Markdown; `details["warnings"]` counts mammoth's messages."""
    check_archive(data)
    try:
        result = mammoth.convert_to_html(io.BytesIO(data), convert_image=describe_image)
    except (
        zipfile.BadZipFile,
        ExpatError,
        ElementTreeParseError,
        KeyError,
        ValueError,
        EOFError,
        OSError,
        AttributeError,
        IndexError,
        TypeError,
    ) as exc:
        raise ParseError(
            f"The DOCX file is damaged and cannot be converted ({type(exc).__name__})."
        ) from exc
    text = normalise_characters(clean_text(html_to_markdown(result.value or "")))
    if not text:
        raise ParseError("The document contains no text.")
    return ParsedDocument(text, {"warnings": len(result.messages)})
