"""The new-post form in headless Chromium at desktop and phone widths, against the live
server and the real worker (offline writer): the format comes first, an X thread hides the
length, the length's labels are never clipped, every parsed source starts ticked (a topic
list is not offered), the quota line says what is left and when it resets, axe stays
clean, and the thread chosen from the list is written as a blog post for X. Regenerate's
link opens the form filled in from the post."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from webapp.extensions import db
from webapp.models import Post
from webapp.services import plans

from ..factories import make_parsed_source, make_project, make_user
from ..pages.test_new_post_form import post_to_regenerate
from .conftest import assert_no_axe_violations, assert_no_horizontal_overflow, sign_in, watch
from .test_generation import GENERATION_TIMEOUT_MS

WIDTHS = [(1280, 900), (390, 844)]

CLIPPED_LABELS = """
() => [...document.querySelectorAll('#generate-form label, #generate-form legend')]
  .filter((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
  .map((el) => el.textContent.trim())
"""


@pytest.mark.parametrize(("width", "height"), WIDTHS, ids=["desktop", "phone"])
def test_the_new_post_form_helps(page: Page, app, worker, screenshot, width, height):
    problems = watch(page)
    page.set_viewport_size({"width": width, "height": height})
    user = make_user(app, email="nina@example.com", name="Nina")
    project = make_project(app, user, name="Rainwear")
    make_parsed_source(app, user, project, "Jackets keep cyclists dry.", "jackets.md")
    make_parsed_source(app, user, project, "Layering for wet weather.", "layers.txt")
    make_parsed_source(app, user, project, "topic\nRain boots", "ideas.csv")
    with app.app_context():
        plans.add_posts_used(user.id, 3)
        db.session.commit()
    reset = plans.next_period_start()
    sign_in(page, user)
    page.goto(f"/projects/{project.id}/posts/new")

    quota = page.locator("#quota")
    expect(quota).to_have_text(
        f"7 of 10 posts left this month · resets {reset.day} {reset.strftime('%B')} · See usage"
    )
    expect(quota.get_by_role("link", name="See usage")).to_have_attribute(
        "href", re.compile(r"/workspaces/[0-9a-f]{24}/usage$")
    )
    # The format is the first thing to choose.
    first = page.locator("#generate-form :is(input, select, textarea):visible").first
    expect(first).to_have_attribute("name", "workflow")
    expect(page.get_by_role("radio", name="Blog post", exact=True)).to_be_checked()
    # Every parsed source starts ticked; the topic list is for bulk generation.
    expect(page.get_by_label("jackets.md")).to_be_checked()
    expect(page.get_by_label("layers.txt")).to_be_checked()
    expect(page.get_by_label("ideas.csv")).to_have_count(0)

    length = page.get_by_role("group", name="Length")
    expect(length).to_be_visible()
    assert page.evaluate(CLIPPED_LABELS) == []
    assert_no_axe_violations(page)
    assert_no_horizontal_overflow(page)
    screenshot(f"blog-{width}")

    page.get_by_role("radio", name="LinkedIn post").check()
    expect(length).to_be_hidden()
    page.get_by_role("radio", name="X thread").check()
    expect(length).to_be_hidden()
    page.get_by_label("Topic").fill("Five rain jackets for cyclists")
    assert page.evaluate(CLIPPED_LABELS) == []
    assert_no_axe_violations(page)
    screenshot(f"thread-{width}")
    page.get_by_role("button", name="Generate").click()

    # Through the job page to the post; the offline writer can finish before the job
    # page is seen, so only where it ends is certain.
    expect(page).to_have_url(re.compile(r"/posts/[0-9a-f]{24}$"), timeout=GENERATION_TIMEOUT_MS)
    post_id = page.url.rsplit("/", 1)[1]
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert (post.workflow, post.channel) == ("blog_post", "twitter")
        assert len(post.source_ids) == 2  # both ticked sources, not the topic list
    assert problems == []


@pytest.mark.parametrize(("width", "height"), WIDTHS, ids=["desktop", "phone"])
def test_regenerate_opens_the_form_filled_in(page: Page, app, width, height):
    page.set_viewport_size({"width": width, "height": height})
    user = make_user(app, email="omar@example.com")
    project = make_project(app, user)
    post_id, _, _ = post_to_regenerate(app, user, project, channel="twitter", workflow="blog_post")
    sign_in(page, user)
    page.goto(f"/posts/{post_id}")
    page.get_by_role("button", name="Regenerate").click()
    expect(page).to_have_url(re.compile(rf"/posts/new\?from_post={post_id}$"))
    expect(page.get_by_label("Topic")).to_have_value("Rain jackets for cyclists")
    expect(page.get_by_role("radio", name="X thread")).to_be_checked()
    expect(page.get_by_role("group", name="Length")).to_be_hidden()
    expect(page.get_by_label("jackets.md")).to_be_checked()
    expect(page.get_by_label("umbrellas.md")).not_to_be_checked()
    assert_no_axe_violations(page)
