"""Markdown and plain text: encoding detection, then the text as it is."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from .base import ParsedDocument, ParseError, clean_text
from .reflow import read_as_written

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes that never occur in text: most C0 controls (tab, newline, CR, FF are fine).
_BINARY_BYTES = set(range(9)) | {11} | set(range(14, 32)) - {27}


def looks_like_text(sample: bytes) -> bool:
    """Heuristic on the first bytes: a BOM, or (nearly) no control bytes. Which encoding
    it is, decode_text finds out; a stray \x0b from a word processor is tolerated."""
    if not sample:
        return False
    if any(sample.startswith(bom) for bom, _ in _BOMS):
        return True
    share = sum(1 for byte in sample if byte in _BINARY_BYTES) / len(sample)
    try:
        sample.decode("utf-8")
        return share < 0.05  # valid UTF-8: binary it is not, a few odd controls aside
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:  # only a character cut at the sample's end
            return share < 0.05
    return share < 0.01  # some 8-bit encoding, or binary


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 or a BOM first, else the encoding charset-normalizer finds."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise ParseError(f"The file starts like {encoding} text but is not.") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = _best_guess(list(from_bytes(data)))
    if best is None or best.encoding is None:
        raise ParseError(
            "The file is not UTF-8 text and its encoding could not be detected; "
            "save it as UTF-8 and upload it again."
        )
    return str(best), best.encoding


# Short Western text scores about the same in several single-byte code pages; the most
# common legacy encoding wins when it is nearly as good (cp1250 would turn "crème" into
# "crčme", cp1257 "brûlée" into "brūlée").
_PREFERRED = ("cp1252", "latin_1", "iso8859_15")
_CHAOS_MARGIN = 0.1


def _best_guess(matches):
    if not matches:
        return None
    best = matches[0]
    close = [
        m for m in matches if m.encoding in _PREFERRED and m.chaos <= best.chaos + _CHAOS_MARGIN
    ]
    return close[0] if close else best


def parse_text(data: bytes) -> ParsedDocument:
    text, encoding = decode_text(data)
    text = read_as_written(clean_text(text))
    if not text:
        raise ParseError("The file contains no text.")
    return ParsedDocument(text, {"encoding": encoding})
