"""The usage page in a browser: reached from the workspace menu, its chart drawn and
readable at 1280x900 and 390x844 (bar titles, the data table), nothing scrolling sideways,
axe clean in both themes; the owner sees the split per member, an editor does not."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from webapp.timeutil import utcnow

from ..factories import make_user
from ..team_factories import make_team, make_team_project
from ..usage_helpers import add_post
from .conftest import (
    PHONE,
    assert_no_axe_violations,
    assert_no_horizontal_overflow,
    sign_in,
)


def seed_usage(app):
    owner = make_user(app, email="olive@example.com", name="Olive")
    editor = make_user(app, email="eddie@example.com", name="Eddie")
    team = make_team(app, owner, name="Marketing", editor=editor)
    project = make_team_project(app, owner, team)
    noon = utcnow().replace(hour=12, minute=0, second=0, microsecond=0)
    for days_ago, author, model in [
        (0, owner, "anthropic/claude"),
        (3, editor, None),
        (3, editor, None),
        (17, owner, None),
    ]:
        add_post(
            app,
            project,
            author,
            noon - timedelta(days=days_ago),
            model=model or "openai/gpt-4o-mini-2024-07-18-with-a-long-name",
        )
    return owner, editor, team


def switch_to_team(page: Page) -> None:
    page.locator(".workspace-switcher summary").click()
    page.locator(".workspace-switcher").get_by_role("button", name="Marketing").click()


def check_both_themes(page: Page, screenshot) -> None:
    """axe in the light theme, then in the dark one (loaded afresh: a switch on the open
    page would catch Pico's colour transitions half-way); no sideways scroll on a phone."""
    assert_no_axe_violations(page)
    page.emulate_media(color_scheme="dark")
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Usage")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot("usage-dark")
    page.emulate_media(color_scheme="light")
    page.reload()
    assert_no_horizontal_overflow(page)


def test_the_owner_reads_the_chart_and_the_split_at_both_widths(page: Page, app, screenshot):
    owner, _, _ = seed_usage(app)
    sign_in(page, owner)
    switch_to_team(page)
    page.locator(".workspace-switcher summary").click()
    page.locator(".workspace-switcher").get_by_role("link", name="Usage").click()
    expect(page.get_by_role("heading", level=1, name="Usage")).to_be_visible()

    chart = page.get_by_role("img", name="Posts per day")
    expect(chart).to_be_visible()
    expect(page.locator(".usage-bar")).to_have_count(3)
    expect(page.locator(".usage-bar title").first).to_have_text(
        f"1 post on {(utcnow() - timedelta(days=17)).day} {(utcnow() - timedelta(days=17)):%b}"
    )
    expect(page.get_by_text("posts left")).to_be_visible()
    expect(page.get_by_role("heading", name="Per member")).to_be_visible()
    expect(page.get_by_role("row", name="Eddie eddie@example.com 2")).to_be_visible()
    page.get_by_text("Show as table").click()
    expect(page.get_by_role("table", name="Posts per day")).to_be_visible()
    check_both_themes(page, screenshot)
    screenshot("usage-desktop")

    page.set_viewport_size(PHONE)
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["height"] > 120  # scaled down, still readable
    expect(page.get_by_role("heading", name="Tokens and cost per model")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot("usage-phone")


def test_an_editor_sees_the_workspace_figures_but_no_split(page: Page, app):
    _, editor, team = seed_usage(app)
    page.set_viewport_size(PHONE)
    sign_in(page, editor)
    page.goto(f"/workspaces/{team.id}/usage")

    expect(page.get_by_role("img", name="Posts per day")).to_be_visible()
    expect(page.get_by_role("heading", name="Tokens and cost per model")).to_be_visible()
    expect(page.get_by_role("heading", name="Per member")).to_have_count(0)
    expect(page.get_by_text("olive@example.com")).to_have_count(0)
    assert_no_axe_violations(page)
    assert_no_horizontal_overflow(page)


def test_without_javascript_the_chart_and_its_table_read_the_same(db, browser, live_server, app):
    owner, _, team = seed_usage(app)
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        sign_in(page, owner)
        page.goto(f"/workspaces/{team.id}/usage")
        expect(page.get_by_role("img", name="Posts per day")).to_be_visible()
        expect(page.locator(".usage-bar")).to_have_count(3)
        page.get_by_text("Show as table").click()
        today = utcnow()
        expect(page.get_by_role("row", name=f"{today:%a} {today.day} {today:%b} 1")).to_be_visible()
    finally:
        context.close()
