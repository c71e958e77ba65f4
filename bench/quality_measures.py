"""What `quality_bench.py` measures in one draft: the corpus it reads, the sentences of a
post's body, its markers and citations, each check tallied per channel (see that script's
docstring and bench/README.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from webapp.services.generation import Brief, SourceText
from webapp.services.generation.citations import MARKER, strip_markers
from webapp.services.parsing import parse_document
from webapp.services.parsing.html import parse_html
from webapp.services.parsing.pdf import page_at
from webapp.vocabulary import Channel, Length

CORPUS = Path(__file__).resolve().parent / "corpus"
FILE_TYPES = {".pdf": "pdf", ".docx": "docx", ".md": "md", ".txt": "txt", ".html": "html"}
CHANNELS = [c.value for c in Channel]
LENGTHS = [length.value for length in Length]
MARKERLESS = (Channel.TWITTER, Channel.LINKEDIN)
SUPPORT = re.compile(r"about ([\d,]+) words")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
LIST_MARK = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
THREAD_POSITION = re.compile(r"\s+\d+/\d+$")
MIN_WORDS = 3
EXAMPLES = 3
VERDICTS = {True: "PASS", False: "FAIL", None: ""}


@dataclass
class Doc:
    name: str
    file_type: str
    topic: str
    source: SourceText


@dataclass
class Tally:
    """Hits out of a total (a share), or a count of bad events when `total` stays 0."""

    hits: int = 0
    total: int = 0
    bad: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, ok: bool, example: str = "") -> None:
        self.total += 1
        self.hits += ok
        if not ok:
            self.note(example)

    def count(self, n: int, example: str = "") -> None:
        self.bad += n
        if n:
            self.note(example)

    def note(self, example: str) -> None:
        if example and len(self.examples) < EXAMPLES:
            self.examples.append(example)


# ----------------------------------------------------------------------- corpus


def load_corpus(directory: Path) -> list[Doc]:
    """Every document of `directory` (not SOURCES.md, not subdirectories), parsed."""
    docs = []
    for number, path in enumerate(sorted(directory.iterdir()), 1):
        file_type = FILE_TYPES.get(path.suffix.lower())
        if not path.is_file() or file_type is None or path.name == "SOURCES.md":
            continue
        data = path.read_bytes()
        if file_type == "html":
            parsed = parse_html(data, f"https://corpus.invalid/{path.name}")
        else:
            parsed = parse_document(data, file_type)
        starts = tuple(parsed.details.get("page_starts") or ())
        source = SourceText(f"doc-{number}", path.name, parsed.text, starts)
        topic = topic_of(parsed.text, parsed.details) or path.stem
        docs.append(Doc(path.name, file_type, topic, source))
    return docs


def topic_of(text: str, details: dict) -> str:
    """What a user would type as the topic: the page's title, the first line when it
    reads as a title, else the first heading, else the subject of the first sentence."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not re.match(r"[<!\[|]|[=-]{3,}$", line)]
    first = HEADING.sub("", lines[0]) if lines else ""
    headings = [HEADING.sub("", line) for line in lines if HEADING.match(line)]
    if details.get("title"):
        title = details["title"]
    elif len(first.split()) <= 8 and not re.search(r"[.!?:;,]$", first):
        title = first
    elif " is " in first and len(first.split(" is ")[0].split()) <= 5:
        title = first.split(" is ")[0]
    else:
        title = headings[0] if headings else " ".join(first.split()[:8])
    title = re.sub(r"\s[=-]{3,}$", "", title)  # a setext underline joined to its heading
    return " ".join(re.sub(r"[*_`#\[\]<>]", "", title).split())


def normal(text: str) -> str:
    """`text` without markers, its whitespace collapsed."""
    return " ".join(strip_markers(text).split())


# --------------------------------------------------------------------- measures


def body_text(content: dict, channel: str) -> str:
    """What a reader reads as the post's body: the title and headings left out."""
    if channel == Channel.TWITTER:
        return "\n".join(THREAD_POSITION.sub("", item) for item in content["thread"])
    if channel == Channel.LINKEDIN:
        return content["text"]
    return "\n".join(
        line for line in content["markdown"].splitlines()[1:] if not HEADING.match(line)
    )


def marked_text(content: dict, channel: str) -> str:
    if channel == Channel.TWITTER:
        return "\n\n".join(content["thread"])
    return content["text"] if channel == Channel.LINKEDIN else content["markdown"]


def sentences(text: str) -> list[str]:
    """The text's sentences; a citation marker ends one too (it closes what it cites)."""
    pieces = []
    for line in MARKER.sub("\n", text).splitlines():
        for piece in SENTENCE_END.split(LIST_MARK.sub("", line).strip()):
            if len(piece.split()) >= MIN_WORDS:
                pieces.append(" ".join(piece.split()))
    return pieces


def markers_of(text: str) -> list[int]:
    return [int(n) for match in MARKER.finditer(text) for n in re.split(r"\s*,\s*", match.group(1))]


def verbatim(sentence: str, source_text: str, quotes: list[str]) -> bool:
    """In the source as it is, or made of nothing but cited quotes: a markerless post
    (thread, LinkedIn) can run a quote without closing punctuation into the next one."""
    if sentence in source_text:
        return True
    for quote in quotes:  # longest first
        sentence = sentence.replace(quote, " ")
    return not re.search(r"\w", sentence)


def measure_length(tally: Tally, brief: Brief, result, label: str) -> None:
    low, high = brief.word_range()
    words = result.content["word_count"]
    if low <= words <= high:
        return tally.add(True)
    short = [w for w in result.warnings if w.get("code") == "SHORT_OF_TARGET"]
    found = SUPPORT.search(short[0].get("message", "")) if short else None
    supported = int(found.group(1).replace(",", "")) if found else None
    ok = supported is not None and abs(supported - words) <= 0.15 * words
    said = f"warning says {supported}" if short else "no SHORT_OF_TARGET"
    tally.add(ok, f"{label}: {words} words, band {low}-{high}, {said}")


def measure_offline(tallies: dict, doc: Doc, brief: Brief, result) -> None:
    label = f"{doc.name} {brief.channel}/{brief.target_length}"
    content, channel = result.content, brief.channel
    measure_length(tallies["length"], brief, result, label)
    source_text = normal(doc.source.text)
    body = sentences(body_text(content, channel))
    quotes = [normal(c.get("quote") or "") for c in content.get("citations", [])]
    quotes = sorted({quote for quote in quotes if quote and quote in source_text}, key=len)
    for sentence in body:
        found = verbatim(sentence, source_text, quotes[::-1])
        tallies["verbatim"].add(found, f"{label}: {sentence[:90]!r}")
    seen: set[str] = set()
    for sentence in body:
        key = sentence.lower()
        tallies["repeats"].count(key in seen, f"{label}: {sentence[:90]!r}")
        seen.add(key)
    numbers = {c["n"] for c in content.get("citations", [])}
    markers = markers_of(marked_text(content, channel))
    if channel in MARKERLESS:
        tallies["markerless"].count(len(markers), f"{label}: {markers[:5]}")
    else:
        for n in markers:
            tallies["markers"].add(n in numbers, f"{label}: [{n}] has no citation")
        for paragraph in re.split(r"\n\s*\n", body_text(content, channel)):
            if sentences(paragraph):
                tallies["cited"].add(bool(MARKER.search(paragraph)), "")
    for citation in content.get("citations", []):
        measure_citation(tallies, doc, citation, source_text, label)


def measure_citation(tallies: dict, doc: Doc, citation: dict, source_text: str, label: str):
    quote = citation.get("quote") or ""
    selected = citation.get("source_id") == doc.source.id
    found = selected and bool(normal(quote)) and normal(quote) in source_text
    tallies["quotes"].add(found, f"{label}: [{citation.get('n')}] {quote[:80]!r}")
    if doc.file_type != "pdf" or not selected:
        return
    page = (citation.get("location") or {}).get("page")
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    starts = list(doc.source.page_starts)
    found_on = re.finditer(pattern, doc.source.text) if pattern else ()
    pages = {page_at(starts, match.start()) for match in found_on}
    tallies["pages"].add(
        page in pages, f"{label}: [{citation.get('n')}] says page {page}, quote on {pages or '?'}"
    )
