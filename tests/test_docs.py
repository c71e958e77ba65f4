"""The README keeps up with the code: every setting of `.env.example` is in its settings
table, and the pictures it shows exist."""

from __future__ import annotations

import re

from webapp.config import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def settings_table() -> str:
    start = README.index("## Settings")
    return README[start : README.index("\n## ", start + 1)]


def test_every_variable_of_env_example_is_in_the_readme_settings_table():
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    variables = set(re.findall(r"^# ([A-Z][A-Z0-9_]+)=", example, re.M))
    assert len(variables) > 30
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", settings_table()))
    assert not variables - documented, sorted(variables - documented)


def test_the_readme_pictures_exist():
    pictures = re.findall(r"\]\((docs/[^)]+\.png)\)", README)
    assert {"docs/job-page.png", "docs/post-page.png"} <= set(pictures)
    for picture in pictures:
        assert (PROJECT_ROOT / picture).stat().st_size > 10_000, picture
