"""A server error seen in the browser: the page, or the flash after a failed htmx request,
gives the reference under which the error was logged, and nothing of the exception."""

from __future__ import annotations

import re
import threading

import pytest
from flask import abort
from playwright.sync_api import Browser, expect
from werkzeug.serving import make_server

from webapp import create_app

from ..conftest import build_test_config
from .conftest import open_page

INTERNALS = "could not connect to server at 10.0.0.7"


@pytest.fixture(scope="module")
def failing_server(database_url):
    """The app with one route that fails like a lost database, served on loopback."""
    app = create_app(build_test_config(database_url))

    def explode():
        raise RuntimeError(INTERNALS)

    def slow_down():
        abort(429)

    app.add_url_rule("/test-only/explode", "explode", explode)
    app.add_url_rule("/test-only/slow-down", "slow_down", slow_down)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_the_reference_reaches_the_page_and_the_htmx_flash(browser: Browser, failing_server):
    page = open_page(browser, failing_server)
    response = page.goto("/test-only/explode")
    assert response.status == 500
    expect(page.get_by_role("heading", level=1)).to_have_text("Something went wrong on our side")
    reference = page.locator("[data-error-id]").text_content()
    assert re.fullmatch(r"[0-9a-f]{12}", reference)
    expect(page.locator("main")).not_to_contain_text("10.0.0.7")

    page.goto("/login")
    page.evaluate("() => { htmx.ajax('GET', '/test-only/explode', {target: '#main'}); }")
    flash = page.locator("#flashes [role=alert]")
    expect(flash).to_have_text(
        re.compile(
            r"^Something went wrong \(HTTP 500\)\. Please try again\. Reference: [0-9a-f]{12}\.$"
        )
    )
    assert flash.text_content().split("Reference: ")[1].rstrip(".") != reference
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    page.context.close()


def test_a_refused_htmx_request_says_why_in_the_flash(browser: Browser, failing_server):
    page = open_page(browser, failing_server)
    page.goto("/login")
    page.evaluate("() => { htmx.ajax('GET', '/test-only/slow-down', {target: '#main'}); }")
    expect(page.locator("#flashes [role=alert]")).to_have_text(
        re.compile(r"^Too many requests\. Try again in \d+ seconds\.$")
    )
    page.context.close()
