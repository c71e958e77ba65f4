"""Security headers on every answer: pages, htmx fragments, API JSON (success and error),
static files and error pages; HSTS only over HTTPS. The browser test
(tests/browser/test_content_security_policy.py) shows the pages still work under the policy."""

from __future__ import annotations

import re

import pytest

from webapp.config import PROJECT_ROOT

from .factories import make_project

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def directives(response) -> dict[str, str]:
    policy = response.headers.get("Content-Security-Policy", "")
    parts = (part.strip().split(None, 1) for part in policy.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def assert_protected(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (name, response.headers)
    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP


def test_anonymous_pages_static_files_and_error_pages(client):
    for path in (
        "/",
        "/login",
        "/signup",
        "/forgot-password",
        "/api/docs",
        "/static/js/app.js",
        "/no-such-page",
    ):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert_protected(response)


def test_signed_in_pages_and_htmx_fragments(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    for path in ("/projects", f"/projects/{project.id}", "/settings/profile", "/settings/api-keys"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_protected(response)
    fragment = client.get(
        f"/projects/{project.id}/sources",
        headers={"HX-Request": "true", "HX-Target": "sources-list"},
    )
    assert fragment.status_code == 200
    assert_protected(fragment)


def test_api_answers_success_and_error(client, auth):
    headers = auth.headers()
    assert_protected(client.get("/api/v1/projects", headers=headers))
    assert_protected(client.post("/api/v1/projects", headers=headers, json={"name": "P"}))
    unauthorised = client.get("/api/v1/projects")
    assert unauthorised.status_code == 401
    assert_protected(unauthorised)
    assert_protected(client.get("/api/v1/openapi.json"))


def test_a_view_that_sets_a_stricter_referrer_policy_keeps_it(client):
    response = client.get("/reset-password/not-a-real-token")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_hsts_only_over_https(client, auth):
    for path in ("/login", "/api/docs"):
        response = client.get(path, base_url="https://localhost")
        assert (
            response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        )
        assert "Strict-Transport-Security" not in client.get(path).headers
    api = client.get("/api/v1/projects", headers=auth.headers(), base_url="https://localhost")
    assert api.headers["Strict-Transport-Security"].startswith("max-age=31536000")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


@pytest.mark.parametrize(
    "template",
    sorted(
        str(path.relative_to(PROJECT_ROOT)) for path in (PROJECT_ROOT / "templates").rglob("*.html")
    ),
)
def test_templates_need_no_inline_script_or_style(template):
    """What the policy would block, found before a browser does: inline <script> blocks,
    on*= and hx-on attributes (htmx evaluates those as code), javascript: URLs, inline
    <style> and style= attributes."""
    text = (PROJECT_ROOT / template).read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text)
    assert not EVENT_HANDLER.search(text), EVENT_HANDLER.search(text).group(0)
    assert "javascript:" not in text.lower()
    assert not INLINE_STYLE.search(text)
