"""The editor in headless Chromium: autosave with a live preview, and a second tab's stale
save meeting the conflict view instead of overwriting the first tab's text."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ..factories import make_project, make_user
from ..review_factories import make_reviewable_post
from .conftest import assert_no_axe_violations, sign_in


def test_a_second_tab_with_a_stale_text_gets_the_conflict_view(page: Page, live_server, app):
    user = make_user(app, email="ada@example.com", name="Ada Lovelace")
    post_id = make_reviewable_post(app, user, make_project(app, user, "Team rituals"))
    sign_in(page, user)
    page.goto(f"/posts/{post_id}/edit")
    other = page.context.new_page()
    other.goto(f"/posts/{post_id}/edit")  # opened at version 1 too

    text = page.get_by_label("Markdown")
    text.press("Control+End")
    text.type("\nWritten in the first tab.")
    expect(page.locator("#editor-preview")).to_contain_text("Written in the first tab.")
    expect(page.locator("#editor-status")).to_have_text("Saved · version 2", timeout=10_000)
    assert_no_axe_violations(page)

    stale = other.get_by_label("Markdown")
    stale.press("Control+End")
    stale.type("\nWritten in the second tab.")
    conflict = other.get_by_role("alert").filter(has_text="Someone else saved this post")
    expect(conflict).to_be_visible(timeout=10_000)
    expect(conflict.locator("[data-conflict=theirs]")).to_contain_text("Written in the first tab.")
    expect(other.get_by_label("Markdown")).to_have_value(re.compile("Written in the second tab."))
    other.get_by_role("button", name="Keep mine (save over theirs)").click()
    expect(other.locator("#editor-status")).to_have_text("Saved · version 3")

    page.goto(f"/posts/{post_id}/revisions")
    rows = page.locator("table.revisions tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Ada Lovelace")
