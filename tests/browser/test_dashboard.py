"""The dashboard (issue 17): "New project" opens a dialog (its own page without
JavaScript) instead of a form always on show; a project card is one link, clickable
anywhere, with a visible focus ring; a long name is clamped to two lines and named in
full; the name field says how many characters are left. At 1280x900 and at 390x844."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ..factories import make_project, make_user
from .conftest import (
    DEFAULT_TIMEOUT_MS,
    PHONE,
    assert_no_axe_violations,
    assert_no_horizontal_overflow,
    sign_in,
)

DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
LONG_NAME = (
    "Quarterly thought-leadership series for the enterprise segment, with webinars, "
    "whitepapers and a newsletter for every region we sell in"
)


def dashboard(page: Page, app, viewport: dict, *names: str):
    page.set_viewport_size(viewport)
    user = make_user(app, email="joan@example.com")
    projects = [make_project(app, user, name=name, description="Posts.") for name in names]
    sign_in(page, user)
    return projects


@VIEWPORTS
def test_new_project_opens_a_dialog_with_a_character_count(page: Page, app, viewport, screenshot):
    dashboard(page, app, viewport)
    dialog = page.get_by_role("dialog", name="New project")
    expect(dialog).to_be_hidden()
    expect(page.get_by_label("Project name")).to_be_hidden()  # no form always on show
    assert_no_axe_violations(page)

    page.get_by_role("button", name="New project").click()
    expect(dialog).to_be_visible()
    name = dialog.get_by_label("Project name")
    expect(name).to_be_focused()
    expect(name).to_have_attribute("maxlength", "200")
    counter = dialog.locator("#name-count")
    expect(counter).to_have_text("200 characters left")
    name.press_sequentially("Spring launch")
    expect(counter).to_have_text("187 characters left")
    expect(dialog.locator(".required")).to_have_count(0)
    expect(dialog.get_by_label("Description (optional)")).to_be_visible()
    assert_no_axe_violations(page)
    assert_no_horizontal_overflow(page)
    screenshot(f"new-project-dialog-{viewport['width']}")
    page.emulate_media(color_scheme="dark")
    page.reload()
    page.get_by_role("button", name="New project").click()
    expect(dialog).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(f"new-project-dialog-dark-{viewport['width']}")
    page.emulate_media(color_scheme="light")
    page.reload()

    # Cancel closes it; opened again, a mistake is shown in the dialog, by the field.
    page.get_by_role("button", name="New project").click()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/projects/?$"))
    page.get_by_role("button", name="New project").click()
    name.fill("")
    dialog.get_by_role("button", name="Create project").click()
    expect(dialog.locator("#name-error")).to_have_text("Give the project a name.")
    expect(dialog.get_by_label("Project name")).to_be_focused()
    dialog.get_by_label("Project name").fill("Spring launch")
    dialog.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", level=1, name="Spring launch")).to_be_visible()


@VIEWPORTS
def test_a_card_is_one_link_clickable_anywhere_with_the_name_clamped(
    page: Page, app, viewport, screenshot
):
    dashboard(page, app, viewport, "Short name", LONG_NAME)
    card = page.locator(".project-card").filter(has_text="Quarterly")
    link = card.get_by_role("link", name=LONG_NAME, exact=True)  # the full name
    expect(link).to_have_attribute("title", LONG_NAME)
    expect(card.get_by_role("link")).to_have_count(1)
    expect(card.get_by_role("button")).to_have_count(0)

    # Clamped to two lines: the name's box is two lines high, its text longer.
    name = card.locator(".clamp-2")
    lines = name.evaluate(
        """(el) => ({height: el.getBoundingClientRect().height,
                     line: parseFloat(getComputedStyle(el).lineHeight),
                     full: el.scrollHeight})"""
    )
    assert round(lines["height"] / lines["line"]) == 2, lines
    assert lines["full"] > lines["height"] + lines["line"] / 2, lines
    assert_no_axe_violations(page)
    assert_no_horizontal_overflow(page)
    screenshot(f"dashboard-cards-{viewport['width']}")
    # The dark theme, loaded afresh (a switch on the open page catches Pico's colour
    # transitions half-way).
    page.emulate_media(color_scheme="dark")
    page.reload()
    assert_no_axe_violations(page)
    page.emulate_media(color_scheme="light")
    page.reload()

    # Keyboard: the card's link takes the focus and its ring goes round the whole card.
    for _ in range(40):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    expect(link).to_be_focused()
    ring = link.evaluate(
        """(el) => { const after = getComputedStyle(el, '::after');
                     return {style: after.outlineStyle, width: parseFloat(after.outlineWidth)}; }"""
    )
    assert ring["style"] != "none" and ring["width"] > 0, ring
    assert link.evaluate("el => el.matches(':focus-visible')")

    # A click anywhere on the card, away from the name, opens the project.
    box = card.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 12, box["y"] + box["height"] - 12)
    expect(page.get_by_role("heading", level=1, name=LONG_NAME)).to_be_visible()


def test_without_javascript_new_project_is_a_page(browser, live_server, app, db):
    user = make_user(app, email="nojs@example.com")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_in(page, user)
        page.get_by_role("button", name="New project").click()
        expect(page).to_have_url(re.compile(r"/projects/new$"))
        expect(page.get_by_role("heading", level=1, name="New project")).to_be_visible()
        expect(page.locator("#name-count")).to_have_text("200 characters left")
        page.get_by_role("button", name="Create project").click()
        expect(page.locator("#name-error")).to_have_text("Give the project a name.")
        page.get_by_label("Project name").fill("Plain forms")
        page.get_by_role("button", name="Create project").click()
        expect(page.get_by_role("heading", level=1, name="Plain forms")).to_be_visible()
    finally:
        context.close()
