"""Phone width (390x844): tables become stacked rows with their status in sight, the header
is one row with its links under "Menu", breadcrumbs end in an ellipsis instead of wrapping;
at 1280x900 the same pages keep their tables and their header links."""

from __future__ import annotations

from itertools import pairwise

import pytest
from playwright.sync_api import Page, expect

from ..factories import make_completed_post, make_parsed_source, make_project, make_user
from .conftest import PHONE, assert_no_axe_violations, assert_no_horizontal_overflow, sign_in

LONG_NAME = "Quarterly customer research for the spring launch of the onboarding assistant"
CONTENT = {"title": "Standups without the meeting", "markdown": "# Standups\n\nWrite them."}


@pytest.fixture
def project_page(app, page: Page):
    """A signed-in owner's project with a long name, two sources and two posts."""
    user = make_user(app, email="grace@example.com", name="Grace Hopper")
    project = make_project(app, user, name=LONG_NAME)
    for name in ("customer-interviews-2026.md", "survey.txt"):
        make_parsed_source(app, user, project, "What customers told us.", name=name)
    for topic in ("Async standups", "Onboarding checklists that people finish"):
        make_completed_post(app, user, project, CONTENT, topic=topic)
    sign_in(page, user)
    page.goto(f"/projects/{project.id}")
    return page


def assert_header_is_one_row(page: Page) -> None:
    """The header's visible items (brand, links, menus) all sit on one line."""
    items = page.locator(".site-header nav > ul > li:visible")
    centres = {round(box["y"] + box["height"] / 2) for box in _boxes(items)}
    assert max(centres) - min(centres) <= 4, centres


def assert_one_line(crumbs) -> None:
    """Each crumb as tall as the first ("Projects"), on the same line as it."""
    first, *others = _boxes(crumbs.locator("li"))
    for box in others:
        assert (box["y"], box["height"]) == (first["y"], first["height"]), (first, box)


def _boxes(locator) -> list[dict]:
    return [item.bounding_box() for item in locator.all()]


def cell_boxes(row) -> list[dict]:
    return _boxes(row.locator("td"))


def assert_stacked_with_status_in_sight(page: Page, table: str) -> None:
    rows = page.locator(f"{table} tbody tr")
    expect(rows.first).to_be_visible()
    # The column headings are left to screen readers; each cell shows its own.
    assert page.locator(f"{table} thead").bounding_box()["height"] <= 1
    for row in rows.all():
        boxes = cell_boxes(row)
        # One cell under the other, each as wide as the row.
        assert all(b["y"] > a["y"] for a, b in pairwise(boxes)), boxes
        assert len({round(box["x"]) for box in boxes}) == 1, boxes
        chip = row.locator(".badge[class*='status-']")
        chip.scroll_into_view_if_needed()
        expect(chip).to_be_in_viewport()
        box = chip.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        # Each cell names its column.
        status_cell = chip.locator("xpath=ancestor::td")
        label = status_cell.evaluate("td => getComputedStyle(td, '::before').content")
        assert label == '"Status"'


def test_phone_layout_of_the_project_page(project_page: Page, screenshot):
    page = project_page
    page.set_viewport_size(PHONE)
    page.evaluate("window.scrollTo(0, 0)")

    header = page.get_by_role("banner")
    assert header.bounding_box()["height"] < 80
    assert_header_is_one_row(page)
    brand = header.get_by_role("link", name="Copydesk home").bounding_box()
    menu = header.locator("summary", has_text="Menu")
    expect(menu).to_be_visible()
    assert abs(menu.bounding_box()["y"] - brand["y"]) < 24  # the same row
    expect(header.get_by_role("link", name="Settings")).to_have_count(0)  # folded away
    menu.click()
    expect(header.get_by_role("link", name="Settings")).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    menu.click()

    crumbs = page.get_by_role("navigation", name="breadcrumb")
    name = crumbs.locator("li", has_text=LONG_NAME)
    assert_one_line(crumbs)
    assert name.evaluate("li => getComputedStyle(li).textOverflow") == "ellipsis"
    assert name.evaluate("li => li.scrollWidth > li.clientWidth")  # cut, not wrapped
    expect(page.get_by_role("heading", level=1)).to_contain_text(LONG_NAME)

    assert_stacked_with_status_in_sight(page, "#sources-list table")
    assert_stacked_with_status_in_sight(page, "#posts-list table")
    screenshot("phone")
    assert_no_horizontal_overflow(page)
    assert_no_axe_violations(page)


def assert_rows_stacked(page: Page, table: str) -> None:
    for row in page.locator(f"{table} tbody tr").all():
        boxes = [box for box in cell_boxes(row) if box["height"] > 0]
        assert all(b["y"] > a["y"] for a, b in pairwise(boxes)), (page.url, boxes)
    assert_no_horizontal_overflow(page)
    assert_no_axe_violations(page)


def test_phone_layout_of_the_other_tables(project_page: Page, screenshot):
    page = project_page
    page.set_viewport_size(PHONE)
    header = page.get_by_role("banner")
    header.locator("summary", has_text="Menu").click()
    header.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", level=1, name="Settings")).to_be_visible()

    sections = page.get_by_role("navigation", name="Settings sections")
    sections.get_by_role("link", name="Sessions").click()
    assert_rows_stacked(page, "main table")

    sections.get_by_role("link", name="API keys").click()
    page.get_by_label("Key name").fill("CMS sync for the spring launch site")
    page.get_by_role("button", name="Create key").click()
    expect(page.locator("#api-keys tbody tr")).to_have_count(1)
    assert_rows_stacked(page, "#api-keys table")
    screenshot("api-keys")

    header.locator(".workspace-switcher summary").click()
    header.get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Members of")
    assert_rows_stacked(page, "#member-list")
    assert_header_is_one_row(page)

    page.goto("/api/docs")
    assert header.bounding_box()["height"] < 80
    assert_header_is_one_row(page)
    assert_no_horizontal_overflow(page)


def test_desktop_keeps_tables_and_header_links(project_page: Page, screenshot):
    page = project_page
    header = page.get_by_role("banner")
    expect(header.locator("summary", has_text="Menu")).not_to_be_visible()
    expect(header.get_by_role("link", name="Settings")).to_be_visible()
    assert_header_is_one_row(page)
    for table in ("#sources-list table", "#posts-list table"):
        expect(page.locator(f"{table} thead th").first).to_be_visible()
        boxes = cell_boxes(page.locator(f"{table} tbody tr").first)
        assert len({round(box["y"]) for box in boxes}) == 1, boxes  # cells side by side
    assert_one_line(page.get_by_role("navigation", name="breadcrumb"))
    screenshot("desktop")
    assert_no_axe_violations(page)


def test_signed_out_header_is_one_row_on_a_phone(page: Page):
    page.set_viewport_size(PHONE)
    page.goto("/login")
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Sign in")).to_be_visible()
    assert header.bounding_box()["height"] < 80
    assert_header_is_one_row(page)
    assert_no_horizontal_overflow(page)
