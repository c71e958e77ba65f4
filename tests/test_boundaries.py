"""Boundaries between the parts of webapp: page blueprints import no other feature's
routes or forms (only its panels), no page imports the API, and services neither read the
HTTP request nor build URLs from routes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from webapp.config import PROJECT_ROOT

WEBAPP = PROJECT_ROOT / "webapp"
PAGE_FEATURES = ("auth", "projects", "sources", "posts", "jobs", "settings", "links", "main")
REQUEST_NAMES = {"request", "url_for", "has_request_context", "session", "g"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, set[str]]]:
    """(absolute module, names imported from it) for every import in `path`."""
    package = (
        module_name(path) if path.name == "__init__.py" else module_name(path).rsplit(".", 1)[0]
    )
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, set()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names = {alias.name for alias in node.names}
            found.append((module, names))
            found += [(f"{module}.{name}", set()) for name in names]  # `from . import routes`
    return found


def modules_of(folder: str) -> list[Path]:
    return sorted((WEBAPP / folder).rglob("*.py"))


@pytest.mark.parametrize("feature", PAGE_FEATURES)
def test_a_page_blueprint_imports_only_the_panels_of_another_and_no_api(feature):
    """What pages share lives in the PageKit (webapp/forms.py, webapp/rendering.py); the
    one thing a feature takes from another is the context of a panel it shows."""
    for path in modules_of(feature):
        for module, names in imports(path):
            parts = module.split(".") + [""]
            if names == {"panels"} and parts[2] == "":
                continue  # `from ..projects import panels`: the panels module, checked next
            if parts[0] == "webapp" and parts[1] in PAGE_FEATURES and parts[1] != feature:
                assert parts[2] == "panels", (path, module)
            assert parts[:2] != ["webapp", "api"], (path, module)


def test_services_neither_read_the_request_nor_build_urls():
    for path in modules_of("services"):
        for module, names in imports(path):
            if module == "flask":
                assert not names & REQUEST_NAMES, (path, names & REQUEST_NAMES)
            assert module not in ("flask.globals", "flask.helpers"), (path, module)
        source = path.read_text(encoding="utf-8")
        assert "url_map" not in source and "url_for" not in source, path
