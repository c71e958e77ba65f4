"""Every data table can become stacked rows at phone width: it carries `stack-rows` and each
of its cells names its column in `data-label` (shown before the cell's value on a phone).
A compact table of figures that fits a phone as it is says so with `fits-phone`."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def table_templates() -> list[Path]:
    return [path for path in TEMPLATES.rglob("*.html") if "<table" in path.read_text("utf-8")]


def test_every_table_stacks_and_labels_its_cells():
    templates = table_templates()
    assert len(templates) >= 10
    for path in templates:
        text = path.read_text("utf-8")
        tables = re.findall(r"<table\b[^>]*>", text)
        for table in tables:
            assert re.search(r'class="[^"]*\b(stack-rows|fits-phone)\b', table), (path.name, table)
        if all("fits-phone" in table for table in tables):
            continue
        cells = re.findall(r"<td\b[^>]*>", text)
        unlabelled = [cell for cell in cells if "data-label=" not in cell]
        assert unlabelled == [], (path.name, unlabelled)


def test_the_labels_are_the_column_headings():
    sources = (TEMPLATES / "sources" / "_list.html").read_text("utf-8")
    headings = re.findall(r'<th scope="col">([^<]+)</th>', sources)
    assert re.findall(r'<td data-label="([^"]*)"', sources) == headings
