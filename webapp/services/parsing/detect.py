"""File type by content: magic bytes and zip structure first, the name only to tell the
text formats (Markdown, plain text, CSV) apart."""

from __future__ import annotations

import zipfile
from typing import BinaryIO

from ...vocabulary import FileType
from .base import UnsupportedFileType
from .text import looks_like_text

TEXT_EXTENSIONS = {
    "md": FileType.MD,
    "markdown": FileType.MD,
    "txt": FileType.TXT,
    "text": FileType.TXT,
    "csv": FileType.CSV,
}
BINARY_EXTENSIONS = {"pdf", "docx", "doc", "exe", "zip", "png", "jpg", "jpeg", "gif"}


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def is_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:1024]


def is_docx(head: bytes, stream: BinaryIO) -> bool:
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        # A zip that cannot be opened but starts like one: let the DOCX parser say why.
        return True
    return "word/document.xml" in names or "[Content_Types].xml" in names


def detect_file_type(stream: BinaryIO, filename: str) -> str:
    """`pdf`, `docx`, `md`, `txt` or `csv`; UnsupportedFileType otherwise.

    Reads the start of `stream` (and a zip's directory); leaves it at position 0."""
    stream.seek(0)
    head = stream.read(64 * 1024)
    try:
        return _detect(head, stream, filename)
    finally:
        stream.seek(0)


def _detect(head: bytes, stream: BinaryIO, filename: str) -> FileType:
    if not head:
        raise UnsupportedFileType("The file is empty.")
    if is_pdf(head):
        return FileType.PDF
    if is_docx(head, stream):
        return FileType.DOCX
    if head.startswith(b"PK\x03\x04"):
        raise UnsupportedFileType("The file is a zip archive, not a Word document.")
    extension = extension_of(filename)
    if looks_like_text(head):
        if extension in BINARY_EXTENSIONS:
            raise UnsupportedFileType(
                f"The file is named .{extension} but its content is plain text."
            )
        return TEXT_EXTENSIONS.get(extension, FileType.TXT)
    raise UnsupportedFileType(
        "Unsupported file type: upload a PDF, DOCX, Markdown, text or CSV file."
    )
