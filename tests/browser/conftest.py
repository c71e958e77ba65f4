"""Browser fixtures: one headless Debian Chromium per session, a fresh context + page per test.

Plain `playwright.sync_api` (no pytest-playwright). The app itself comes from the
session-scoped `live_server` fixture in tests/conftest.py.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Error as PlaywrightError, Page, sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

DEFAULT_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Browser:
    executable = shutil.which("chromium")
    if not executable:
        # Deliberately a failure, not a skip: the browser suite must not pass silently.
        pytest.fail("Chromium not found on PATH (expected /usr/bin/chromium). "
                    "Install it with `apt-get install -y chromium`.", pytrace=False)
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            pytest.fail(f"Could not launch Chromium at {executable}: {error}", pytrace=False)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Page:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture
def screenshot(page: Page, screenshot_dir: Path, request):
    """screenshot("dashboard") -> test-artifacts/screenshots/<test name>-dashboard.png"""
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)

    def take(label: str) -> Path:
        path = screenshot_dir / f"{test_name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
