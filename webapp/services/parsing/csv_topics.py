"""CSV for bulk generation: a `topic` column is required; other columns are optional.

Cells are kept as text exactly as written (a leading `=`, `+`, `-` or `@` included): they
are never evaluated here, and `topics_to_csv` (the download) neutralises them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from ...vocabulary import Channel, Length
from .base import ParsedDocument, ParseError
from .text import decode_text

OPTIONAL_COLUMNS = ("voice", "custom_instructions", "target_length", "channel", "workflow")
TARGET_LENGTHS = tuple(Length)
CHANNELS = tuple(Channel)
MAX_ROWS = 5000  # the largest plan's bulk_limit: one job may use every row read
MAX_TOPIC = 200
MAX_INSTRUCTIONS = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def parse_topics_csv(data: bytes) -> ParsedDocument:
    table = read_topics(data)
    if not table.rows and not table.problems:
        raise ParseError("The CSV has a header but no rows.")
    details = {
        "rows": len(table.rows),
        "columns": table.columns,
        "problems": table.problems,
        "encoding": table.encoding,
    }
    return ParsedDocument(_as_text(table.rows), details)


@dataclass
class TopicTable:
    columns: list[str]
    rows: list[dict]
    problems: list[dict]  # {"row", "message", "topic"} of each row that cannot be used
    encoding: str
    # The spreadsheet row (the header is row 1) of each of `rows`.
    row_numbers: list[int] = field(default_factory=list)


def read_topics(data: bytes) -> TopicTable:
    """The usable rows of a topics CSV (cells as written, stripped) and the problems of the
    others; raises ParseError when the file as a whole cannot be used."""
    text, encoding = decode_text(data)
    reader = csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(text))
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        raise ParseError("The CSV file is empty.")
    except csv.Error as exc:
        raise ParseError(f"The CSV file cannot be read: {exc}.") from exc
    if "topic" not in header:
        raise ParseError(
            "The CSV needs a header row with a `topic` column (optional: "
            + ", ".join(OPTIONAL_COLUMNS)
            + ")."
        )
    rows, problems, numbers = _read_rows(reader, header)
    return TopicTable([c for c in header if c], rows, problems, encoding, numbers)


def topics_to_csv(table: TopicTable) -> str:
    """The usable rows as CSV, every cell that a spreadsheet would evaluate as a formula
    (leading =, +, -, @, tab or CR) prefixed with a single quote so it stays text; the
    header row too, since extra columns may carry any name."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise_formula(column) for column in table.columns])
    for row in table.rows:
        writer.writerow([neutralise_formula(row.get(column, "")) for column in table.columns])
    return out.getvalue()


def neutralise_formula(cell: str) -> str:
    return "'" + cell if cell[:1] in FORMULA_STARTS else cell


def _sniff_delimiter(text: str) -> str:
    """Only the delimiter is sniffed: the sniffer also guesses `'` as a quote character
    from prose like `Why 'less' is more`, which would merge rows."""
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _read_rows(reader, header: list[str]) -> tuple[list[dict], list[dict], list[int]]:
    rows, problems, numbers = [], [], []
    try:
        for line_number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) + len(problems) >= MAX_ROWS:
                problems.append(
                    {
                        "row": line_number,
                        "message": f"only the first {MAX_ROWS} rows are read",
                        "topic": "",
                    }
                )
                break
            row = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name}
            for column in ("target_length", "channel", "voice", "workflow"):
                if row.get(column):
                    row[column] = row[column].lower()
            problem = _row_problem(row)
            if problem:
                topic = row.get("topic", "")[:MAX_TOPIC]
                problems.append({"row": line_number, "message": problem, "topic": topic})
            else:
                rows.append(row)
                numbers.append(line_number)
    except csv.Error as exc:
        raise ParseError(f"The CSV file cannot be read: {exc}.") from exc
    return rows, problems, numbers


def _row_problem(row: dict) -> str | None:
    topic = row.get("topic", "")
    if not topic:
        return "topic is empty"
    if len(topic) > MAX_TOPIC:
        return f"topic is longer than {MAX_TOPIC} characters"
    if len(row.get("custom_instructions", "")) > MAX_INSTRUCTIONS:
        return f"custom_instructions is longer than {MAX_INSTRUCTIONS} characters"
    if row.get("target_length") and row["target_length"] not in TARGET_LENGTHS:
        return "target_length must be short, medium or long"
    if row.get("channel") and row["channel"] not in CHANNELS:
        return "channel must be one of " + ", ".join(CHANNELS)
    return None


def _as_text(rows: list[dict]) -> str:
    """One line per usable row, for previews and word counts."""
    return "\n".join(
        row["topic"] + "".join(f" | {k}: {row[k]}" for k in OPTIONAL_COLUMNS if row.get(k))
        for row in rows
    )
