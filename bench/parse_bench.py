#!/usr/bin/env python
"""Parse benchmark: our `parse_document` next to raw pypdf / mammoth on the same files.

    .venv/bin/python bench/parse_bench.py            # full run (a few minutes)
    .venv/bin/python bench/parse_bench.py --quick    # small files, one run each (smoke test)

It generates the test files (text PDFs with fpdf2, Word documents with python-docx, photos
with Pillow), then parses each file in a fresh Python process per run, so that every
figure of peak memory belongs to one parse of one file:

    raw     pypdf:   PdfReader(BytesIO(data)) + page.extract_text() for every page
            mammoth: mammoth.convert_to_markdown(BytesIO(data))
    ours    webapp.services.parsing.parse_document(data, "pdf" | "docx")
    rawimp  raw again, in a process that has also imported webapp.services.parsing, to
            tell our code's cost from the cost of the heavier process it runs in

Wall time is that of the parse call only (the file is already in memory, modules are
imported); the median of the runs is reported. Peak RSS is the child's VmHWM (from
/proc/self/status), the highest of the runs. (`ru_maxrss` is written to the JSON but not
used: on Linux it can report the parent's peak, carried over fork + exec.) A child that
only imports the modules gives the baseline; a last child times our parser's steps.

Goals (from the issue): ours ≤ 1.2 × raw time; peak RSS < 400 MB for a ~20 MB file.
Exit status: 0 when every goal passes (or with --quick), 1 otherwise.

See bench/README.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MiB = 1024 * 1024
RATIO_GOAL = 1.2
RSS_GOAL_MB = 400


# ------------------------------------------------------------------------- child side
# The child is this file run with `--child MODE [PATH]`. It imports only what MODE needs,
# reads the file into memory, runs the parse once and prints one JSON line.


def _status_kb(field_name: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    return 0


def _child(mode: str, path: str | None, freeze: bool = False) -> int:
    """MODE is `import-raw`, `import-ours`, `stages-<fmt>` or `<impl>-<fmt>` with impl
    `raw` (pypdf/mammoth alone), `rawimp` (the same, in a process that has also imported
    our package) or `ours` (parse_document)."""
    import gc

    sys.path.insert(0, str(ROOT))
    impl, _, fmt = mode.partition("-")
    started = time.perf_counter()
    if impl in ("raw", "rawimp", "import") and fmt in ("pdf", "raw"):
        from pypdf import PdfReader
    if impl in ("raw", "rawimp", "import") and fmt in ("docx", "raw"):
        import mammoth
    if impl in ("rawimp", "ours", "stages") or mode == "import-ours":
        from webapp.services.parsing import ParseError, parse_document
    else:
        ParseError = None
    import_seconds = time.perf_counter() - started
    gc_objects = len(gc.get_objects())
    if freeze:
        gc.freeze()

    data = Path(path).read_bytes() if path else b""
    rss_before = _status_kb("VmRSS")
    out: dict = {
        "mode": mode,
        "import_s": import_seconds,
        "rss_before_kb": rss_before,
        "gc_objects": gc_objects,
    }

    gc_time, gc_started = [0.0, 0.0, 0.0], [0.0]

    def on_gc(phase, info):
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            gc_time[info["generation"]] += time.perf_counter() - gc_started[0]

    try:
        if impl == "stages":
            out["stages"] = _stages(fmt, data)
        elif impl != "import":
            gc.callbacks.append(on_gc)
            start = time.perf_counter()
            if impl in ("raw", "rawimp") and fmt == "pdf":
                reader = PdfReader(io.BytesIO(data))
                texts = [page.extract_text() or "" for page in reader.pages]
            elif impl in ("raw", "rawimp"):
                texts = [mammoth.convert_to_markdown(io.BytesIO(data)).value]
            else:
                texts = [parse_document(data, fmt).text]
            out["time_s"] = time.perf_counter() - start
            gc.callbacks.remove(on_gc)
            out["gc_s"] = gc_time
            out["chars"] = sum(len(text) for text in texts)
    except Exception as exc:
        if ParseError is None or not isinstance(exc, ParseError):
            raise
        print(json.dumps({"mode": mode, "error": f"ParseError: {exc}"}))
        return 2

    out["hwm_kb"] = _status_kb("VmHWM")
    out["vmpeak_kb"] = _status_kb("VmPeak")
    out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(out))
    return 0


def _stages(fmt: str, data: bytes) -> list[tuple[str, float]]:
    """Our parser's steps, timed one by one (mirrors pdf.py / docx.py; one run)."""
    from webapp.services.parsing.base import clean_text, count_words

    stages = []

    def timed(name, func, *args):
        start = time.perf_counter()
        value = func(*args)
        stages.append((name, time.perf_counter() - start))
        return value

    if fmt == "pdf":
        from webapp.services.parsing import pdf

        reader = timed("PdfReader + checks (_open)", pdf._open, data)
        pages = timed(
            "extract_text, every page", lambda: [page.extract_text() or "" for page in reader.pages]
        )
        text = timed("join + clean_text", lambda: clean_text("\n\n".join(pages)))
    else:
        import mammoth

        from webapp.services.parsing import docx

        timed("check_archive (zip checks)", docx.check_archive, data)
        result = timed(
            "mammoth.convert_to_html",
            lambda: mammoth.convert_to_html(io.BytesIO(data), convert_image=docx.describe_image),
        )
        text = timed("html_to_markdown (markdownify)", docx.html_to_markdown, result.value or "")
        text = timed("clean_text", clean_text, text)
    timed("count_words (worker, after the parse)", count_words, text)
    return stages


# ------------------------------------------------------------------------- documents

_FUNCTION_WORDS = (
    "the the the of of and and to to in in a a is that for it as with was on be by this "
    "are from at or an have not which has but their its can will more than also other been "
    "into these they when there would about after such over most some our we each only "
    "while both where because between through during without before under"
).split()
_CONTENT_WORDS = (
    "market customer product team revenue quarter strategy report growth launch region "
    "forecast margin supplier contract pricing service channel partner budget review "
    "analysis survey audience campaign content editor draft article newsletter brand voice "
    "message reader subscriber conversion engagement traffic search ranking keyword headline "
    "summary research interview source quote figure chart table appendix section chapter "
    "manager director board meeting decision proposal risk opportunity priority deadline "
    "schedule milestone delivery release version feature update issue feedback question "
    "answer process workflow approval publication calendar season holiday event conference "
    "webinar podcast video image caption layout design template format style guide tone "
    "clarity evidence example argument reason result outcome impact trend pattern signal "
    "increase decrease change improvement decline shift cost investment return profit loss "
    "employee hiring training support operations logistics inventory warehouse shipment "
    "order invoice payment account subscription renewal churn retention loyalty community "
    "social platform network email website page link download upload document file archive "
    "data metric dashboard benchmark target goal objective plan roadmap initiative program "
    "project portfolio stakeholder investor analyst regulator policy compliance security "
    "privacy consent agreement negotiation discount offer promotion bundle upgrade tier "
    "consistent significant modest steady rapid gradual notable careful detailed practical "
    "recent previous current annual quarterly monthly weekly internal external regional "
    "national global digital local early late strong weak clear broad narrow direct "
    "improves supports reduces explains shows suggests requires includes describes compares "
    "measures tracks delivers builds reviews publishes prepares expects confirms remains "
    "improved supported reduced explained showed suggested required included described "
    "compared measured tracked delivered built reviewed published prepared expected"
).split()
_EXTRAS = (
    "long-term",
    "year-on-year",
    "well-known",
    "follow-up",
    "e-mail",
    "co-founder",
    "mid-size",
    "real-time",
    "self-service",
    "end-to-end",
)


class Prose:
    """Deterministic English-like prose: varied sentence lengths, commas, figures,
    parentheses and hyphenated words (the characters mammoth escapes)."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def word(self) -> str:
        roll = self.rng.random()
        if roll < 0.45:
            return self.rng.choice(_FUNCTION_WORDS)
        if roll < 0.97:
            return self.rng.choice(_CONTENT_WORDS)
        if roll < 0.99:
            return self.rng.choice(_EXTRAS)
        return self.rng.choice(
            (
                f"{self.rng.randint(2, 98)}%",
                str(self.rng.randint(2015, 2025)),
                f"{self.rng.randint(1, 9)}.{self.rng.randint(1, 9)} million",
            )
        )

    def sentence(self) -> tuple[str, int]:
        count = self.rng.randint(8, 26)
        words = [self.word() for _ in range(count)]
        if count > 14 and self.rng.random() < 0.5:
            words[self.rng.randint(4, count - 5)] += ","
        if self.rng.random() < 0.08:
            words.append(f"(see section {self.rng.randint(1, 12)}.{self.rng.randint(1, 9)})")
        text = " ".join(words)
        end = "." if self.rng.random() < 0.92 else self.rng.choice("?!")
        return text[0].upper() + text[1:] + end, count

    def paragraph(self, words: int) -> tuple[str, int]:
        sentences, total = [], 0
        while total < words:
            sentence, count = self.sentence()
            sentences.append(sentence)
            total += count
        return " ".join(sentences), total

    def phrase(self, low: int, high: int) -> str:
        text = " ".join(self.rng.choice(_CONTENT_WORDS) for _ in range(self.rng.randint(low, high)))
        return text[0].upper() + text[1:]

    def page(self, words: int) -> list[tuple[str, str]]:
        """One page's blocks as (kind, text): a heading, paragraphs, a bullet list (and on
        some pages a numbered list), about `words` words in all."""
        blocks = [("heading", self.phrase(3, 7))]
        total = 0
        para, count = self.paragraph(self.rng.randint(90, 130))
        blocks.append(("para", para))
        total += count
        for _ in range(4):
            bullet, count = self.paragraph(self.rng.randint(6, 14))
            blocks.append(("bullet", bullet))
            total += count
        if self.rng.random() < 0.3:
            for _ in range(3):
                item, count = self.paragraph(self.rng.randint(6, 12))
                blocks.append(("number", item))
                total += count
        while total < words:
            para, count = self.paragraph(min(self.rng.randint(80, 140), words - total + 10))
            blocks.append(("para", para))
            total += count
        return blocks


def make_photo(seed: int, size: tuple[int, int] = (1600, 1200), quality: int = 88) -> bytes:
    """A distinct photo-like JPEG (smooth colour fields plus grain: compresses like a
    camera picture, not like a flat test image)."""
    from PIL import Image

    rng = random.Random(seed)
    width, height = size
    small = Image.frombytes(
        "RGB", (width // 40, height // 40), rng.randbytes((width // 40) * (height // 40) * 3)
    )
    smooth = small.resize(size, Image.BICUBIC)
    grain = Image.frombytes("RGB", size, rng.randbytes(width * height * 3))
    photo = Image.blend(smooth, grain, 0.22)
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def photos_totalling(nbytes: int, seed: int) -> list[bytes]:
    photos, total = [], 0
    while total < nbytes:
        photo = make_photo(seed + len(photos))
        photos.append(photo)
        total += len(photo)
    return photos


def build_pdf(pages: int, words: int = 400, photos: list[bytes] = (), seed: int = 1) -> bytes:
    """A text PDF (fpdf2, Helvetica 10 pt, A4): `pages` pages of ~`words` words each; the
    photos, if any, spread evenly over the pages (one per page at most, below the text)."""
    from fpdf import FPDF

    prose = Prose(seed)
    pdf = FPDF(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    photo_pages = {round(i * pages / len(photos)): photo for i, photo in enumerate(photos)}
    for number in range(pages):
        pdf.add_page()
        for kind, text in prose.page(words):
            if kind == "heading":
                pdf.set_font("Helvetica", "B", 13)
                pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1)
                pdf.set_font("Helvetica", size=10)
            elif kind in ("bullet", "number"):
                pdf.multi_cell(
                    0,
                    4.6,
                    ("- " if kind == "bullet" else "1. ") + text,
                    new_x="LMARGIN",
                    new_y="NEXT",
                )
            else:
                pdf.multi_cell(0, 4.6, text, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1.5)
        if number in photo_pages:
            pdf.image(io.BytesIO(photo_pages[number]), x=15, w=96)
        if pdf.page_no() != number + 1:
            raise RuntimeError(f"page {number + 1} of the PDF overflowed; lower `words`")
    return bytes(pdf.output())


def build_docx(pages: int, words: int = 400, photos: list[bytes] = (), seed: int = 2) -> bytes:
    """A Word document (python-docx): `pages` pages of ~`words` words, each with a
    Heading 2, paragraphs, a bullet list (some a numbered list) and a page break; a
    Heading 1 every ten pages; the photos, if any, spread evenly over the pages."""
    from docx import Document
    from docx.shared import Inches

    prose = Prose(seed)
    document = Document()
    document.add_heading("Annual Content Review", level=0)
    photo_pages = {round(i * pages / len(photos)): photo for i, photo in enumerate(photos)}
    for number in range(pages):
        if number % 10 == 0:
            document.add_heading(f"Chapter {number // 10 + 1}: {prose.phrase(2, 5)}", level=1)
        for kind, text in prose.page(words):
            if kind == "heading":
                document.add_heading(text, level=2)
            elif kind == "bullet":
                document.add_paragraph(text, style="List Bullet")
            elif kind == "number":
                document.add_paragraph(text, style="List Number")
            else:
                document.add_paragraph(text)
        if number in photo_pages:
            document.add_picture(io.BytesIO(photo_pages[number]), width=Inches(5.5))
        if number + 1 < pages:
            document.add_page_break()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def document_xml_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.getinfo("word/document.xml").file_size


# ------------------------------------------------------------------------- cases

CASE_NAMES = ("pdf-text", "docx-text", "pdf-20mb", "docx-20mb", "docx-20mb-xmlcap")


@dataclass
class Case:
    name: str
    file_type: str
    describe: str
    big: bool = False  # subject to the RSS goal
    path: Path | None = None
    size: int = 0
    note: str = ""
    results: dict = field(default_factory=dict)  # impl -> list of child outputs


def limits() -> dict:
    sys.path.insert(0, str(ROOT))
    from webapp.config import Config
    from webapp.services.parsing import docx, pdf

    return {
        "upload": Config.MAX_UPLOAD_BYTES,
        "pdf_pages": pdf.MAX_PAGES,
        "docx_xml": docx.MAX_DOCUMENT_XML,
        "docx_ratio": docx.MAX_RATIO,
        "memory_mb": Config.PARSE_MEMORY_LIMIT_MB,
        "timeout_s": Config.PARSE_TIMEOUT_SECONDS,
    }


def generate(workdir: Path, quick: bool, only: set[str] | None) -> list[Case]:
    lim = limits()
    big_target = 2 * MiB if quick else int(lim["upload"] * 0.95)  # ~19 MB, under the cap
    pdf_pages, docx_pages = (10, 20) if quick else (100, 200)
    big_pdf_pages = 100 if quick else lim["pdf_pages"]  # the page cap
    cases = [
        Case("pdf-text", "pdf", f"{pdf_pages}-page text PDF, ~400 words/page"),
        Case("docx-text", "docx", f"{docx_pages}-page DOCX, ~400 words/page, headings + lists"),
        Case(
            "pdf-20mb",
            "pdf",
            f"{big_pdf_pages}-page text PDF"
            f"{'' if quick else ' (our page cap)'}, ~400 words/page + photos",
            big=True,
        ),
        Case("docx-20mb", "docx", f"the {docx_pages}-page DOCX + photos", big=True),
        Case(
            "docx-20mb-xmlcap",
            "docx",
            "DOCX with as much text as the document.xml cap allows + photos"
            if not quick
            else "DOCX, 1 MB document.xml + photos",
            big=True,
        ),
    ]
    cases = [case for case in cases if not only or case.name in only]
    for case in cases:
        started = time.perf_counter()
        if case.name == "pdf-text":
            data = build_pdf(pdf_pages)
        elif case.name == "docx-text":
            data = build_docx(docx_pages)
        elif case.name == "pdf-20mb":
            text_part = len(build_pdf(20, seed=3)) * big_pdf_pages // 20
            photos = photos_totalling(big_target - text_part, seed=100)
            data = build_pdf(big_pdf_pages, photos=photos, seed=3)
            case.note = f"{len(photos)} photos"
        elif case.name == "docx-20mb":
            text_part = len(build_docx(docx_pages, seed=4))
            photos = photos_totalling(big_target - text_part, seed=200)
            data = build_docx(docx_pages, photos=photos, seed=4)
            case.note = f"{len(photos)} photos"
        else:  # docx-20mb-xmlcap: as much text as the 10 MB document.xml cap allows
            xml_target = (1 if quick else 9.5) * MiB
            empty, sample = build_docx(0, seed=5), build_docx(40, seed=5)
            per_page = document_xml_size(sample) / 40
            pages = int(xml_target / per_page)
            text_part = len(empty) + (len(sample) - len(empty)) * pages // 40
            photos = photos_totalling(big_target - text_part, seed=300)
            data = build_docx(pages, photos=photos, seed=5)
            case.note = (
                f"{pages} pages, document.xml "
                f"{document_xml_size(data) / MiB:.1f} MB, {len(photos)} photos"
            )
        case.size = len(data)
        if case.size > lim["upload"]:
            raise RuntimeError(f"{case.name}: {case.size} bytes is over the upload limit")
        if case.file_type == "docx" and document_xml_size(data) > lim["docx_xml"]:
            raise RuntimeError(f"{case.name}: document.xml is over our {lim['docx_xml']} cap")
        case.path = workdir / f"{case.name}.{case.file_type}"
        case.path.write_bytes(data)
        del data
        print(
            f"  generated {case.name}: {case.size / MiB:.1f} MB"
            f"{' (' + case.note + ')' if case.note else ''} "
            f"in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    return cases


# ------------------------------------------------------------------------- parent side

IMPLS = ("raw", "ours", "rawimp")


def run_child(mode: str, path: Path | None = None, freeze: bool = False) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode]
    if path:
        command.append(str(path))
    if freeze:
        command.append("--gc-freeze")
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    lines = proc.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (IndexError, ValueError):
        result = None
    if result is None or (proc.returncode and "error" not in result):
        raise RuntimeError(f"child {mode} failed (exit {proc.returncode}):\n{proc.stderr}")
    return result


def mb(kb: float) -> str:
    return f"{kb / 1024:.0f} MB"


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small files and one run each: a smoke test of the benchmark",
    )
    parser.add_argument(
        "--runs", type=int, help="runs per case and parser (default 3, 1 with --quick)"
    )
    parser.add_argument("--cases", help="comma-separated subset: " + ", ".join(CASE_NAMES))
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="call gc.freeze() in every child after its imports (what a "
        "worker can do before forking); shows the garbage collector's share",
    )
    parser.add_argument(
        "--keep-files",
        metavar="DIR",
        help="write the generated files to DIR and keep them (default: a temporary directory)",
    )
    parser.add_argument("--json", metavar="PATH", help="also write every measurement as JSON")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(
            args.child[0], args.child[1] if len(args.child) > 1 else None, freeze=args.gc_freeze
        )

    runs = args.runs or (1 if args.quick else 3)
    only = set(args.cases.split(",")) if args.cases else None
    if only and only - set(CASE_NAMES):
        parser.error(f"unknown case(s): {', '.join(sorted(only - set(CASE_NAMES)))}")
    if args.keep_files:
        workdir = Path(args.keep_files)
        workdir.mkdir(parents=True, exist_ok=True)
        holder = None
    else:
        holder = tempfile.TemporaryDirectory(prefix="copydesk-bench-")
        workdir = Path(holder.name)
    try:
        return _bench(args, runs, only, workdir)
    finally:
        if holder:
            holder.cleanup()


def _bench(args, runs: int, only, workdir: Path) -> int:
    print(f"Generating files{' (quick)' if args.quick else ''}...", file=sys.stderr)
    cases = generate(workdir, args.quick, only)

    baseline = {}
    for impl in ("raw", "ours"):
        outs = [run_child(f"import-{impl}", freeze=args.gc_freeze) for _ in range(runs)]
        baseline[impl] = {
            "hwm_kb": max(o["hwm_kb"] for o in outs),
            "vmpeak_kb": max(o["vmpeak_kb"] for o in outs),
            "gc_objects": outs[0]["gc_objects"],
            "import_s": statistics.median(o["import_s"] for o in outs),
        }

    for case in cases:
        print(f"Parsing {case.name} ({runs} run(s) each)...", file=sys.stderr)
        for impl in IMPLS:
            case.results[impl] = []
        for _ in range(runs):  # interleaved, so that drift hits all alike
            for impl in IMPLS:
                case.results[impl].append(
                    run_child(f"{impl}-{case.file_type}", case.path, args.gc_freeze)
                )
        case.results["stages"] = run_child(f"stages-{case.file_type}", case.path, args.gc_freeze)

    report, failed = render(cases, baseline, runs, args.quick, args.gc_freeze)
    print(report)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "python": sys.version.split()[0],
                    "runs": runs,
                    "quick": args.quick,
                    "gc_freeze": args.gc_freeze,
                    "baseline": baseline,
                    "cases": [
                        {
                            "name": c.name,
                            "file_type": c.file_type,
                            "size": c.size,
                            "describe": c.describe,
                            "note": c.note,
                            "results": c.results,
                        }
                        for c in cases
                    ],
                },
                indent=2,
            )
        )
    return 0 if args.quick or not failed else 1


def _summary(outs: list[dict]) -> dict | None:
    if any("error" in out for out in outs):
        return None
    return {
        "time": statistics.median(out["time_s"] for out in outs),
        "gc": statistics.median(sum(out["gc_s"]) for out in outs),
        "gc_full": statistics.median(out["gc_s"][2] for out in outs),
        "hwm": max(out["hwm_kb"] for out in outs),
        "vmpeak": max(out["vmpeak_kb"] for out in outs),
        "before": max(out["rss_before_kb"] for out in outs),
        "chars": outs[0]["chars"],
    }


def render(
    cases: list[Case], baseline: dict, runs: int, quick: bool, freeze: bool
) -> tuple[str, bool]:
    import platform
    from importlib.metadata import version

    lim = limits()
    lines = [
        f"## Parse benchmark{' (QUICK: reduced sizes, indicative only)' if quick else ''}"
        f"{' (gc.freeze() after imports)' if freeze else ''}",
        "",
        f"Python {platform.python_version()}, pypdf {version('pypdf')}, mammoth "
        f"{version('mammoth')}, {os.cpu_count()} CPU(s). Time: median of {runs} run(s) of "
        "the parse call, each run in a fresh process. Peak RSS: VmHWM of that process "
        "(highest of the runs), imports and the file's bytes included.",
        "",
        "| Case | File size | Raw time | Ours time | Ratio | Raw peak RSS | Ours peak RSS |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    contents = ["", "| Case | Contents | Output chars (raw / ours) |", "|---|---|---:|"]
    split = [
        "",
        'Where the difference comes from: "raw + our imports" is the raw library in a '
        "process that has also imported `webapp.services.parsing` (as ours must); "
        '"full GC" is the time spent in generation-2 garbage collections during the '
        'parse; "own peak" is peak RSS minus RSS just before the parse.',
        "",
        "| Case | Raw + our imports | Ours ÷ that | Full GC raw / raw + imports / ours | "
        "Own peak raw / ours | Ours VmPeak |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    verdicts, notes, failed = [], [], False
    for case in cases:
        raw, ours = _summary(case.results["raw"]), _summary(case.results["ours"])
        same = _summary(case.results["rawimp"])
        if ours is None or raw is None or same is None:
            error = next(o["error"] for impl in IMPLS for o in case.results[impl] if "error" in o)
            lines.append(f"| {case.name} | {case.size / MiB:.1f} MB | — | REJECTED | — | — | — |")
            verdicts.append(f"- FAIL {case.name}: the file was rejected ({error})")
            failed = True
            continue
        ratio = ours["time"] / raw["time"]
        lines.append(
            f"| {case.name} | {case.size / MiB:.1f} MB | {seconds(raw['time'])} | "
            f"{seconds(ours['time'])} | {ratio:.2f}× | {mb(raw['hwm'])} | "
            f"{mb(ours['hwm'])} |"
        )
        contents.append(
            f"| {case.name} | {case.describe}"
            f"{' (' + case.note + ')' if case.note else ''} | "
            f"{raw['chars']:,} / {ours['chars']:,} |"
        )
        split.append(
            f"| {case.name} | {seconds(same['time'])} | "
            f"{ours['time'] / same['time']:.2f}× | {seconds(raw['gc_full'])} / "
            f"{seconds(same['gc_full'])} / {seconds(ours['gc_full'])} | "
            f"+{mb(raw['hwm'] - raw['before'])} / +{mb(ours['hwm'] - ours['before'])}"
            f" | {mb(ours['vmpeak'])} |"
        )
        ok = ratio <= RATIO_GOAL
        failed |= not ok
        verdicts.append(
            f"- {'PASS' if ok else 'FAIL'} {case.name}: time ratio {ratio:.2f} "
            f"(goal ≤ {RATIO_GOAL})"
        )
        if case.big:
            ok = ours["hwm"] / 1024 < RSS_GOAL_MB
            failed |= not ok
            verdicts.append(
                f"- {'PASS' if ok else 'FAIL'} {case.name}: peak RSS "
                f"{mb(ours['hwm'])} for a {case.size / MiB:.1f} MB file "
                f"(goal < {RSS_GOAL_MB} MB)"
            )
        if ours["vmpeak"] / 1024 > lim["memory_mb"] * 0.8:
            notes.append(
                f"- {case.name}: address space peaked at {mb(ours['vmpeak'])}, near "
                f"or over the work horse's cap (PARSE_MEMORY_LIMIT_MB="
                f"{lim['memory_mb']})"
            )
        if ours["time"] > lim["timeout_s"] * 0.5:
            notes.append(
                f"- {case.name}: {seconds(ours['time'])} is more than half the job "
                f"timeout (PARSE_TIMEOUT_SECONDS={lim['timeout_s']})"
            )
    lines += contents + split
    lines += [
        "",
        f"Baseline (a child that only imports): raw (pypdf + mammoth) "
        f"{mb(baseline['raw']['hwm_kb'])} RSS, "
        f"{baseline['raw']['gc_objects']:,} GC-tracked objects; ours "
        f"(`webapp.services.parsing`, which imports the `webapp` package: Flask, "
        f"SQLAlchemy, ...) {mb(baseline['ours']['hwm_kb'])} RSS, "
        f"{baseline['ours']['gc_objects']:,} GC-tracked objects.",
        "",
        "Goals:",
        *verdicts,
    ]
    if notes:
        lines += ["", "Worker limits (not goals of the issue, for information):", *notes]
    lines += [
        "",
        "Our parser step by step (one run, fresh process):",
        "",
        "| Case | Step | Time |",
        "|---|---|---:|",
    ]
    for case in cases:
        for name, spent in case.results.get("stages", {}).get("stages", []):
            lines.append(f"| {case.name} | {name} | {seconds(spent)} |")
    lines += ["", f"Overall: {'FAIL' if failed else 'PASS'}"]
    return "\n".join(lines), failed


if __name__ == "__main__":
    sys.exit(main())
