"""Pick the parser for a file type."""

from __future__ import annotations

from ...vocabulary import FileType
from .base import ParsedDocument
from .csv_topics import parse_topics_csv
from .docx import parse_docx
from .pdf import parse_pdf
from .text import parse_text

PARSERS = {
    FileType.PDF: parse_pdf,
    FileType.DOCX: parse_docx,
    FileType.MD: parse_text,
    FileType.TXT: parse_text,
    FileType.CSV: parse_topics_csv,
}


def parse_document(data: bytes, file_type: str) -> ParsedDocument:
    """Parse `data` as `file_type`; ParseError with a readable message when it fails."""
    return PARSERS[file_type](data)
