"""PDF through pypdf: text-based PDFs only, with a page cap."""

from __future__ import annotations

import io
import logging
from bisect import bisect_right

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from .base import ParsedDocument, ParseError, clean_text
from .reflow import read_as_written

MAX_PAGES = 1000
log = logging.getLogger(__name__)


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ParseError(
                "The PDF is password-protected; remove the password and upload it again."
            )
        return reader
    except FileNotDecryptedError as exc:
        raise ParseError(
            "The PDF is password-protected; remove the password and upload it again."
        ) from exc
    except DependencyError as exc:
        raise ParseError("The PDF uses an encryption this server cannot read.") from exc
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise damaged(exc) from exc


def damaged(exc: Exception) -> ParseError:
    """The user's reason for a PDF pypdf cannot read; pypdf's own words go to the log only."""
    log.info("unreadable PDF: %s: %s", type(exc).__name__, exc)
    return ParseError("The PDF is damaged and cannot be read.")


def join_pages(pages: list[str]) -> tuple[str, list[int]]:
    """The pages' text read as written, a blank line between pages, and where each page
    starts in it (a character offset per page; an empty page starts where the next one
    does). A paragraph running over a page break stays two, so every offset is exact."""
    text, starts = "", []
    for page in pages:
        body = read_as_written(clean_text(page), laid_out=True)
        if body and text:
            text += "\n\n"
        starts.append(len(text))
        text += body
    return text, starts


def page_at(page_starts: list[int], offset: int) -> int:
    """The 1-based number of the page holding character `offset` of the text."""
    return max(bisect_right(page_starts, offset), 1)


def parse_pdf(data: bytes) -> ParsedDocument:
    reader = _open(data)
    try:
        total = len(reader.pages)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise damaged(exc) from exc
    pages = []
    for number in range(min(total, MAX_PAGES)):
        try:
            pages.append(reader.pages[number].extract_text() or "")
        except FileNotDecryptedError as exc:
            raise ParseError(
                "The PDF is password-protected; remove the password and upload it again."
            ) from exc
        except (
            PdfReadError,
            PyPdfError,
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
            IndexError,
            ZeroDivisionError,
        ) as exc:
            log.warning("page %d of a PDF could not be read: %s", number + 1, exc)
            pages.append("")
    text, page_starts = join_pages(pages)
    if not text:
        raise ParseError(
            "No extractable text — is it a scan? Upload a text-based PDF, or "
            "run it through OCR first."
        )
    details = {"pages": total, "page_starts": page_starts}
    if total > MAX_PAGES:
        details["truncated"] = f"only the first {MAX_PAGES} of {total} pages were read"
    return ParsedDocument(text, details)
