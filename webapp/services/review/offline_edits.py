"""What a suggestion can honestly do without a model: shorten a passage by dropping its
least important sentences, and fix its spacing and punctuation. Neither invents a word,
and citation markers always stay with the sentences they follow."""

from __future__ import annotations

import re

from ...errors import AppError, ErrorCode

SHORTEN_SHARE = 0.6  # of the passage's words, aimed for
MARKER = r"\[\d{1,4}(?:\s*,\s*\d{1,4})*\]"
# A sentence: up to terminal punctuation followed by white space (or the end), with the
# closing quotes and the citation markers that follow it.
SENTENCE = re.compile(r"\S.*?(?:[.!?…]+[\"'”’)]*(?:\s*" + MARKER + r")*(?=\s|$)|$)", re.S)
HAS_MARKER = re.compile(MARKER)
BLOCK_PREFIX = re.compile(r"^(\s*(?:[-*+]|\d{1,3}[.)]|>)\s+)")
ABBREVIATIONS = {"e.g", "i.e", "etc", "vs", "cf", "mr", "mrs", "ms", "dr", "st", "no"}


class NothingToDo(AppError):
    code = ErrorCode.VALIDATION_ERROR


def sentences(text: str) -> list[str]:
    """`text` (one line) as its sentences, markers attached to the one they follow."""
    found: list[str] = []
    for match in SENTENCE.finditer(text):
        sentence = match.group(0).strip()
        if not sentence:
            continue
        if found and _ends_with_abbreviation(found[-1]):
            found[-1] += " " + sentence
        else:
            found.append(sentence)
    return found


def _ends_with_abbreviation(sentence: str) -> bool:
    last = sentence.split()[-1].rstrip(".").lower()
    return sentence.endswith(".") and (last in ABBREVIATIONS or len(last) <= 1)


def words(text: str) -> int:
    return len(HAS_MARKER.sub("", text).split())


# ------------------------------------------------------------------------- shorten


def shorten(passage: str) -> str:
    """`passage` with its least important sentences dropped, aiming at ~60% of its words:
    headings stay, and so do the first sentence and every sentence citing a source; then
    the first sentence of each line, sentences with figures, then the earliest.
    NothingToDo when no sentence can go."""
    lines = re.split(r"(\n+)", passage.strip())
    units = []  # (line index, sentence index, text, must keep, rank)
    for li, line in enumerate(lines):
        if li % 2 or not line.strip() or line.lstrip().startswith("#"):
            continue
        prefix = BLOCK_PREFIX.match(line)
        body = line[prefix.end() :] if prefix else line
        for si, sentence in enumerate(sentences(body)):
            must = not units or bool(HAS_MARKER.search(sentence))
            rank = (0 if si == 0 else 1, 0 if re.search(r"\d", sentence) else 1)
            units.append((li, si, sentence, must, rank))
    total = sum(words(u[2]) for u in units)
    kept = {(u[0], u[1]) for u in units if u[3]}
    budget = SHORTEN_SHARE * total - sum(words(u[2]) for u in units if u[3])
    for u in sorted((u for u in units if not u[3]), key=lambda u: (u[4], u[0], u[1])):
        if words(u[2]) <= budget:
            kept.add((u[0], u[1]))
            budget -= words(u[2])
    if len(kept) == len(units):
        raise NothingToDo(
            "Without a model, shortening can only drop whole sentences, and every sentence "
            "of this passage is needed (it is one sentence, or each cites a source). Select "
            "a longer passage, or connect a model.",
            code=ErrorCode.VALIDATION_ERROR,
        )
    return _rebuild(lines, units, kept)


def _rebuild(lines: list[str], units: list[tuple], kept: set) -> str:
    out = []
    for li, line in enumerate(lines):
        if li % 2:
            out.append(line)
            continue
        mine = [u for u in units if u[0] == li]
        if not mine:
            out.append(line)
            continue
        chosen = [u[2] for u in mine if (u[0], u[1]) in kept]
        if not chosen:
            out.append(None)  # the whole line goes, with one of its separators
            continue
        prefix = BLOCK_PREFIX.match(line)
        out.append((prefix.group(1) if prefix else "") + " ".join(chosen))
    text = ""
    for i, piece in enumerate(out):
        if piece is None:
            continue
        if i % 2 and (i + 1 >= len(out) or out[i + 1] is None or not text):
            continue  # a separator next to a dropped line, or before anything
        text += piece
    return text.strip()


# ----------------------------------------------------------------------------- fix

_PROTECTED = re.compile(r"`[^`\n]*`|\]\([^)\s]*\)|<?https?://[^\s)>]+>?|\S+@\S+\.\w+")


def fix(passage: str, starts_sentence: bool = True) -> str:
    """`passage` with its spacing and punctuation fixed (double spaces, a space before
    punctuation or missing after it, doubled punctuation, a lowercase sentence start);
    words, quotes, links, code and markers untouched. NothingToDo when nothing is wrong."""
    protected: list[str] = []

    def hide(match: re.Match) -> str:
        protected.append(match.group(0))
        return f"\x00{len(protected) - 1}\x00"

    text = _PROTECTED.sub(hide, passage)
    text = re.sub(r"(?<=\S)[ \t]{2,}(?=\S)", " ", text)
    text = re.sub(r"([,;:])\1+", r"\1", text)
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    text = re.sub(r"([!?])\1+", r"\1", text)
    text = re.sub(r"\( +", "(", text)
    text = re.sub(r"(?<=\S) +\)", ")", text)
    text = re.sub(r"([,;])(?=[A-Za-z])", r"\1 ", text)
    text = re.sub(r"(?<=[a-z]{2})([.!?])(?=[A-Z][a-z])", r"\1 ", text)
    text = re.sub(r"(?<=[a-z]{2}):(?=[A-Za-z]{2})", ": ", text)
    text = re.sub(r"(?<=[\w)\]”’\"']) +([,;:!?]|\.(?!\.))(?=\s|$|[\"”’)])", r"\1", text)
    # A space on the wrong side: "word ,next", "a marker [2] .next".
    text = re.sub(r"(?<=[\w)”’\"']) +([,;:!?])(?=[A-Za-z])", r"\1 ", text)
    text = re.sub(r"(?<=\]) +([.!?])(?=[A-Za-z])", r"\1 ", text)
    text = _capitalise(text, starts_sentence)
    fixed = re.sub("\x00(\\d+)\x00", lambda m: protected[int(m.group(1))], text)
    if fixed == passage:
        raise NothingToDo(
            "No spacing or punctuation to fix in this passage; for grammar and wording, "
            "connect a model.",
            code=ErrorCode.VALIDATION_ERROR,
        )
    return fixed


def _capitalise(text: str, starts_sentence: bool) -> str:
    """A lowercase letter that starts a sentence made uppercase (not after an
    abbreviation, an initial or an ellipsis)."""

    def upper(match: re.Match) -> str:
        before = match.string[: match.start()]
        token = re.search(r"(\S*?)[.!?]*$", before).group(1)
        if before.endswith("..") or len(token) <= 1 or token.lower() in ABBREVIATIONS:
            return match.group(0)
        return match.group(1) + match.group(2).upper()

    text = re.sub(r"(?<=[.!?])([\"'”’)]*(?:\s*" + MARKER + r")*\s+)([a-z])", upper, text)
    if starts_sentence:
        text = re.sub(r"^(\s*(?:[-*+>]\s+|#{1,6}\s+)?)([a-z])", lambda m: m[1] + m[2].upper(), text)
    return text
