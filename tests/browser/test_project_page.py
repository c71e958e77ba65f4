"""The project page leads with the work (issue 17): "New post" is its one primary button,
in the header; a chosen file uploads at once and its row reaches its final status, the
"Reading…" line going with it; URL import and link opportunities are folded until
opened; no field carries a required mark. At 1280x900 and at 390x844."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ..factories import make_project, make_user
from ..files import make_pdf
from .conftest import (
    PHONE,
    assert_no_axe_violations,
    assert_no_horizontal_overflow,
    sign_in,
    source_row,
    status_badge,
)

PARSE_TIMEOUT_MS = 30_000
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])

# The visible buttons of the main content whose background is the primary colour's.
PRIMARY_BUTTONS = """() => {
  const shown = (el) => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden';
  const all = [...document.querySelectorAll(
    'main button, main [role=button], main input[type=submit]')].filter(shown);
  const primary = getComputedStyle(document.documentElement)
    .getPropertyValue('--pico-primary-background').trim();
  const probe = document.createElement('div');
  probe.style.backgroundColor = primary;  // the CSSOM, which the CSP allows; gives rgb()
  document.body.append(probe);
  const colour = getComputedStyle(probe).backgroundColor;
  probe.remove();
  return all.filter((el) => getComputedStyle(el).backgroundColor === colour)
    .map((el) => el.textContent.trim());
}"""


def open_project(page: Page, app, viewport: dict) -> None:
    page.set_viewport_size(viewport)
    user = make_user(app, email="ida@example.com")
    project = make_project(app, user, name="Spring launch", description="Posts for March.")
    sign_in(page, user)
    page.goto(f"/projects/{project.id}")
    expect(page.get_by_role("heading", level=1, name="Spring launch")).to_be_visible()


@VIEWPORTS
def test_new_post_is_the_one_primary_button_in_the_header(page: Page, app, viewport, screenshot):
    open_project(page, app, viewport)
    new_post = page.locator("#project-details").get_by_role("button", name="New post")
    expect(new_post).to_be_visible()
    expect(page.get_by_role("main").get_by_role("button", name="New post")).to_have_count(1)
    # Beside the heading, reachable without scrolling on a phone too.
    assert new_post.bounding_box()["y"] + new_post.bounding_box()["height"] < viewport["height"]
    assert page.evaluate(PRIMARY_BUTTONS) == ["New post"]
    # No field on the page carries an asterisk.
    expect(page.locator("main .required")).to_have_count(0)
    assert_no_axe_violations(page)
    assert_no_horizontal_overflow(page)
    screenshot(f"project-page-{viewport['width']}")
    page.emulate_media(color_scheme="dark")
    page.reload()
    assert page.evaluate(PRIMARY_BUTTONS) == ["New post"]
    assert_no_axe_violations(page)
    screenshot(f"project-page-dark-{viewport['width']}")


@VIEWPORTS
def test_url_import_and_link_opportunities_are_folded_until_opened(page: Page, app, viewport):
    open_project(page, app, viewport)
    address = page.get_by_label("Web page address")
    target = page.get_by_label("Target URL")
    expect(address).to_be_hidden()
    expect(target).to_be_hidden()
    page.locator("#url-import summary").click()
    expect(address).to_be_visible()
    expect(target).to_be_hidden()
    page.locator("#links-panel summary").click()
    expect(target).to_be_visible()
    expect(page.get_by_label("Preferred link text (optional)")).to_be_visible()
    expect(page.locator("main .required")).to_have_count(0)
    assert_no_axe_violations(page)
    assert_no_horizontal_overflow(page)


@VIEWPORTS
def test_a_chosen_file_uploads_without_a_click_and_its_row_says_when_it_is_ready(
    page: Page, app, worker, viewport, screenshot
):
    open_project(page, app, viewport)
    expect(page.get_by_role("button", name="Upload", exact=True)).to_be_hidden()
    reading = page.locator(".sources-reading")
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/sources")
    ) as posted:
        page.locator("#source-files").set_input_files(
            [
                {
                    "name": "brief.pdf",
                    "mimeType": "application/pdf",
                    "buffer": make_pdf(["The spring launch brings three colours."]),
                },
                {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"Launch on 3 March."},
            ]
        )
    assert posted.value.status == 200
    # The answer says which files are being read (unless both were read already).
    assert "Reading 2 files…" in posted.value.text() or "sources-reading" not in (
        posted.value.text()
    )
    for name in ("brief.pdf", "notes.txt"):
        badge = status_badge(source_row(page, name))
        expect(badge).to_have_class(re.compile(r"\bstatus-parsed\b"), timeout=PARSE_TIMEOUT_MS)
        expect(badge).to_be_visible()
    # Once they are read the message is gone; the status lives in each row.
    expect(reading).to_have_count(0)
    expect(page.locator("#upload-status")).to_have_text("")
    expect(page.locator("#flashes")).not_to_contain_text("brief.pdf")
    expect(page.locator("#sources-list")).not_to_have_attribute("hx-trigger", re.compile(".*"))
    assert page.locator("#source-files").evaluate("el => el.files.length") == 0
    assert_no_axe_violations(page)
    assert_no_horizontal_overflow(page)
    screenshot(f"project-sources-ready-{viewport['width']}")


def test_without_javascript_the_upload_button_sends_the_files(browser, live_server, app, db):
    user = make_user(app, email="nojs@example.com")
    project = make_project(app, user, name="Plain forms")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, user)
        page.goto(f"/projects/{project.id}")
        page.locator("#source-files").set_input_files(
            {"name": "plain.txt", "mimeType": "text/plain", "buffer": b"Plain text."}
        )
        page.get_by_role("button", name="Upload", exact=True).click()
        expect(page).to_have_url(re.compile(rf"/projects/{project.id}$"))
        expect(source_row(page, "plain.txt")).to_have_count(1)
        # A mistake in the folded URL form comes back unfolded, the error by the field.
        page.locator("#url-import summary").click()
        page.get_by_label("Web page address").fill("not a web address")
        page.get_by_role("button", name="Import page").click()
        expect(page.locator("#url-import")).to_have_attribute("open", "")
        expect(page.locator("#url-error")).to_be_visible()
    finally:
        context.close()
