"""Browser fixtures: one headless Debian Chromium per session, a fresh context + page per test.

Plain `playwright.sync_api` (no pytest-playwright). The app itself comes from the
session-scoped `live_server` fixture in tests/fixtures/servers.py; `page` brings `db`.

Accessibility helpers: `assert_no_axe_violations(page)` runs the vendored axe-core (test
only, never served by the app) and `assert_no_horizontal_overflow(page)` checks the page at
phone width.
"""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

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
PHONE = {"width": 390, "height": 844}

AXE_SCRIPT = next((Path(__file__).parent / "vendor").glob("axe-core-*.min.js"))
FAILING_IMPACTS = ("serious", "critical")
# axe over the whole document; htmx requests (polling swaps parts of some pages every second
# or two) are held back meanwhile so that the page keeps still while axe reads it.
RUN_AXE = """async () => {
  const hold = (event) => event.preventDefault();
  document.addEventListener('htmx:beforeRequest', hold);
  // Colours read mid-transition (a theme switched on an open page) are neither theme's.
  const finite = (a) => a.effect && a.effect.getComputedTiming().iterations !== Infinity;
  await Promise.all(document.getAnimations().filter(finite).map((a) => a.finished.catch(() => {})));
  try { return (await axe.run(document, {resultTypes: ['violations']})).violations; }
  finally { document.removeEventListener('htmx:beforeRequest', hold); }
}"""
# For the failure message: the outermost elements past the right edge of the screen that
# are not inside a scrolling box (absolutely positioned ones may escape it).
OVERFLOWING = r"""() => {
  const style = (el) => getComputedStyle(el);
  const wide = (el) => el && el.getBoundingClientRect().right > window.innerWidth + 0.5;
  const scrolled = (el) => {
    if (['absolute', 'fixed'].includes(style(el).position)) return false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement)
      if (style(up).overflowX !== 'visible') return true;
    return false;
  };
  return Array.from(document.body.querySelectorAll('*'))
    .filter((el) => wide(el) && !scrolled(el))
    .filter((el) => !wide(el.parentElement) || el.parentElement === document.body ||
                    ['absolute', 'fixed'].includes(style(el).position))
    .slice(0, 8)
    .map((el) => `${el.outerHTML.replace(/\s+/g, ' ').slice(0, 80)}… ` +
                 `(to ${Math.round(el.getBoundingClientRect().right)}px)`);
}"""


@pytest.fixture(scope="session")
def browser() -> Browser:
    executable = shutil.which("chromium")
    if not executable:
        # Deliberately a failure, not a skip: the browser suite must not pass silently.
        pytest.fail(
            "Chromium not found on PATH (expected /usr/bin/chromium). "
            "Install it with `apt-get install -y chromium`.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        except PlaywrightError as error:
            pytest.fail(f"Could not launch Chromium at {executable}: {error}", pytrace=False)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(db, browser: Browser, live_server) -> Page:
    """A fresh context and page on the live server; the test starts with a clean database."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def model_stack(start_stack, llm_server):
    """`start_stack` whose worker writes through the loopback model server (`llm_server`):
    model_stack(model=...) -> (server URL, worker process)."""

    def start(model: str = "openai/fake-model", **env):
        return start_stack(
            LLM_MODEL=model,
            LLM_API_BASE=llm_server.url,
            LLM_API_KEY="sk-fake",
            LLM_RETRY_BASE_SECONDS="0.05",
            **env,
        )

    return start


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
        # caret="initial": hiding the caret injects a style, which the CSP refuses (and the
        # console watcher reports).
        page.screenshot(path=str(path), full_page=True, caret="initial")
        return path

    return take


def open_page(browser: Browser, url: str, **options) -> Page:
    """A page in a context of its own on `url` (a server other than the live_server)."""
    context = browser.new_context(base_url=url, viewport={"width": 1280, "height": 900}, **options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context.new_page()


# Select `passage` in the post's text, as a reader dragging over it would.
SELECT_PASSAGE = """(passage) => {
  const paragraphs = [...document.querySelectorAll('.prose p')];
  const text = paragraphs.find((p) => p.textContent.includes(passage)).firstChild;
  const start = text.nodeValue.indexOf(passage);
  const range = document.createRange();
  range.setStart(text, start);
  range.setEnd(text, start + passage.length);
  window.getSelection().removeAllRanges();
  window.getSelection().addRange(range);
}"""


def watch(page: Page) -> list[str]:
    """The console errors and warnings and uncaught exceptions of `page`, as they come."""
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def sign_in(page: Page, user) -> None:
    """Through the login form; `user` has `email` and `password`."""
    page.goto("/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Projects")).to_be_visible()


def source_row(page: Page, filename: str):
    """The row of the project page's sources list that names `filename`."""
    return page.locator("#sources-list tbody tr").filter(
        has=page.get_by_role("link", name=filename, exact=True)
    )


def status_badge(row):
    return row.locator(".badge[class*='status-']")


def source_status(page: Page, filename: str):
    """The status badge of the source `filename` on the project page."""
    return status_badge(source_row(page, filename))


def drop_files(page: Page, files: list[tuple[str, str, bytes]]) -> None:
    """Drag `(name, type, bytes)` files onto the project's drop zone, as from a file
    manager."""
    transfer = page.evaluate_handle(
        """(files) => {
        const transfer = new DataTransfer();
        for (const [name, type, b64] of files) {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            transfer.items.add(new File([bytes], name, {type}));
        }
        return transfer;
    }""",
        [[name, mime, base64.b64encode(data).decode()] for name, mime, data in files],
    )
    zone = page.locator("[data-dropzone]")
    zone.dispatch_event("dragover", {"dataTransfer": transfer})
    expect(zone).to_have_class(re.compile(r"\bdragging\b"))
    zone.dispatch_event("drop", {"dataTransfer": transfer})


def assert_no_axe_violations(page: Page) -> None:
    """Run axe-core on the page as it is now; fail listing every serious or critical
    violation: rule id, help text and the CSS targets of the failing nodes."""
    if not page.evaluate("typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol: a <script> tag would be inline script,
        # which the app's Content-Security-Policy rightly blocks.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    violations = [v for v in page.evaluate(RUN_AXE) if v["impact"] in FAILING_IMPACTS]
    report = [
        f"{v['impact']} {v['id']}: {v['help']}\n"
        + "\n".join(f"    {' '.join(map(str, node['target']))}" for node in v["nodes"])
        for v in violations
    ]
    if violations:
        pytest.fail(
            f"axe found {len(violations)} serious/critical violation(s) on {page.url}:\n"
            + "\n".join(report)
        )


def assert_no_horizontal_overflow(page: Page) -> None:
    """At phone width (390x844) the page is no wider than the screen: nothing to scroll
    sideways. The viewport is put back as it was afterwards."""
    viewport = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        widths = page.evaluate(
            "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
        )
        culprits = page.evaluate(OVERFLOWING) if widths["scroll"] > widths["inner"] else []
    finally:
        page.set_viewport_size(viewport)
    if widths["scroll"] > widths["inner"]:
        pytest.fail(
            f"{page.url} scrolls sideways at {PHONE['width']}px: the page is "
            f"{widths['scroll']}px wide. Sticking out:\n  " + "\n  ".join(culprits)
        )
