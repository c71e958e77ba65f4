"""Comments and sharing in headless Chromium: a reviewer selects a passage and comments on
it, the passage is highlighted in the post; an editor makes a share link; a guest opens it
without an account and comments. No console error or CSP violation on the way."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ..factories import DEFAULT_PASSWORD
from ..review_helpers import team_post
from .conftest import SELECT_PASSAGE, assert_no_axe_violations, sign_in, watch

PASSAGE = "standups save about 20 minutes"


def person(team, role):
    user = team.people[role]
    user.password = DEFAULT_PASSWORD
    return user


def test_a_reviewer_comments_on_a_passage_and_a_guest_reads_the_shared_post(
    page: Page, app, browser
):
    team = team_post(app)
    problems = watch(page)
    sign_in(page, person(team, "reviewer"))
    page.goto(f"/posts/{team.post_id}")
    # Select the passage in the post, quote it into the form, comment.
    page.evaluate(SELECT_PASSAGE, PASSAGE)
    page.get_by_role("button", name="Quote the text selected in the post").click()
    expect(page.locator("#comment-quote")).to_have_value(PASSAGE)
    page.get_by_label("Comment", exact=True).fill("Which survey says so?")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.locator(".comment-body")).to_have_text("Which survey says so?")
    expect(page.locator(".prose mark.comment-highlight")).to_have_text(
        "standups save about 20 minutes"
    )
    assert_no_axe_violations(page)

    editor = browser.new_context(base_url=page.url.split("/posts/")[0]).new_page()
    sign_in(editor, person(team, "editor"))
    editor.goto(f"/posts/{team.post_id}")
    editor.get_by_label("Guests may comment").check()
    editor.get_by_role("button", name="Make share link").click()
    url = editor.locator("#share-url").input_value()
    assert re.search(r"/share/[A-Za-z0-9_-]{40,}$", url)

    guest = browser.new_context(base_url=page.url.split("/posts/")[0]).new_page()
    guest_problems = watch(guest)
    guest.goto("/share/" + url.rsplit("/share/", 1)[1])
    expect(guest.get_by_role("heading", level=1)).to_have_text("Async standups")
    guest.get_by_label("Your name").fill("Carla <b>Client</b>")
    guest.get_by_label("Comment", exact=True).fill("Nice <script>alert(1)</script>")
    guest.get_by_role("button", name="Send comment").click()
    expect(guest.locator(".comment-meta strong")).to_have_text("Carla <b>Client</b>")
    assert_no_axe_violations(guest)
    assert problems == [] and guest_problems == []
