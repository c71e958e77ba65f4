"""Dark mode: every colour of the stylesheet comes from a variable, and the pages let the
system's colour scheme choose between the light and dark values."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "css" / "app.css"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
COLOUR_LITERAL = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgb|rgba|hsl|hsla)\(")
VARIABLE_DEFINITION = re.compile(r"^\s*--[\w-]+\s*:")


def rules_outside_variable_definitions() -> list[str]:
    lines = STYLESHEET.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if not VARIABLE_DEFINITION.match(line)]


def test_no_colour_is_written_outside_a_variable():
    literals = [
        line.strip() for line in rules_outside_variable_definitions() if COLOUR_LITERAL.search(line)
    ]
    assert literals == []


def test_every_variable_used_is_defined_for_both_schemes():
    css = STYLESHEET.read_text(encoding="utf-8")
    light, dark = css.split("prefers-color-scheme: dark", 1)
    used = set(re.findall(r"var\((--cd-[\w-]+)\)", css))
    light_defined = set(re.findall(r"^\s*(--cd-[\w-]+)\s*:", light, re.M))
    dark_defined = set(re.findall(r"^\s*(--cd-[\w-]+)\s*:", dark.split("\n}\n", 1)[0], re.M))
    assert used <= light_defined
    fixed_in_both = {name for name in light_defined if name.startswith("--cd-method-")}
    assert used - fixed_in_both <= dark_defined | {"--cd-on-accent"} | fixed_in_both


def test_pages_do_not_pin_a_theme():
    pinned = [
        p.name for p in TEMPLATES.rglob("*.html") if "data-theme=" in p.read_text(encoding="utf-8")
    ]
    assert pinned == []
