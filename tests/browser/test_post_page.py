"""The post page in headless Chromium at 1280x900 and 390x844: LinkedIn and X posts copy
as plain text (the whole post, and each post of a thread), a blog post copies as clean
formatted text, and the action bar stays in sight on a phone while the page scrolls."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from webapp.services.channel_text import x_length

from ..factories import make_project, make_user
from ..post_page_factories import LINKEDIN_PLAIN, THREAD_PLAIN, TITLE, make_channel_post
from .conftest import PHONE, assert_no_axe_violations, assert_no_horizontal_overflow, sign_in, watch

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": PHONE}
FOOTER_CLEAR_OF_THE_BAR = """() => {
  const bar = document.querySelector('.post-actions').getBoundingClientRect();
  const footer = document.querySelector('.site-footer').getBoundingClientRect();
  return footer.bottom <= bar.top + 0.5 || footer.top >= bar.bottom - 0.5;
}"""
READ_HTML = """async () => {
  const [item] = await navigator.clipboard.read();
  return await (await item.getType('text/html')).text();
}"""


@pytest.fixture
def open_post(page: Page, app):
    """open_post(channel, viewport) -> the page showing a completed `channel` post, signed
    in, with the clipboard allowed."""
    user = make_user(app, email="ada@example.com")
    project = make_project(app, user, name="Team rituals")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    signed_in = []

    def open_(channel: str, viewport: str, **content) -> Page:
        page.set_viewport_size(VIEWPORTS[viewport])
        if not signed_in:
            sign_in(page, user)
            signed_in.append(True)
        page.goto(f"/posts/{make_channel_post(app, user, project, channel, **content)}")
        return page

    return open_


def clipboard(page: Page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def bar_in_view(page: Page) -> bool:
    return page.evaluate(
        """() => {
      const box = document.querySelector('.post-actions').getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
    }"""
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_linkedin_post_copies_as_plain_text(open_post, viewport, screenshot):
    page = open_post("linkedin", viewport)
    problems = watch(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Async standups")
    expect(page.locator("#post-text")).to_have_text(LINKEDIN_PLAIN)
    page.get_by_role("button", name="Copy text").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    expect(page.locator("#copy-status")).to_have_text("The post is copied as plain text.")
    copied = clipboard(page)
    assert copied == LINKEDIN_PLAIN and "**" not in copied and "#" not in copied
    screenshot(f"linkedin-{viewport}")
    assert_no_axe_violations(page)
    assert problems == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_each_post_of_a_thread_copies_on_its_own(open_post, viewport, screenshot):
    page = open_post("twitter", viewport)
    for n, text in enumerate(THREAD_PLAIN, 1):
        tweet = page.locator(".tweet").nth(n - 1)
        expect(tweet).to_contain_text(f"{x_length(text)}/280")
        tweet.get_by_role("button", name=f"Copy post {n}").click()
        expect(tweet.get_by_role("button", name=f"Copied post {n}")).to_be_visible()
        expect(page.locator("#copy-status")).to_have_text(f"Post {n} copied.")
        assert clipboard(page) == text
    page.get_by_role("button", name="Copy thread").click()
    expect(page.locator("#copy-status")).to_have_text("The thread is copied as plain text.")
    copied = clipboard(page)
    assert copied == "\n\n".join(THREAD_PLAIN)
    assert "**" not in copied and "#" not in copied and "](" not in copied
    screenshot(f"thread-{viewport}")
    assert_no_axe_violations(page)
    page.emulate_media(color_scheme="dark")
    page.reload()
    screenshot(f"thread-{viewport}-dark")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_blog_post_copies_as_formatted_text_and_as_markdown(open_post, viewport):
    page = open_post("blog", viewport)
    page.get_by_role("button", name="Copy", exact=True).click()
    expect(page.locator("#copy-status")).to_have_text("The post is copied as formatted text.")
    html = page.evaluate(READ_HTML)
    assert f"<h1>{TITLE}</h1>" in html and "<strong>writing</strong>" in html
    assert "class=" not in html and "cite-" not in html
    assert clipboard(page).startswith(f"{TITLE}\n\nStandups in writing save time.")
    page.get_by_role("button", name="Copy Markdown").click()
    expect(page.locator("#copy-status")).to_have_text("The post is copied as Markdown.")
    assert clipboard(page).startswith(f"# {TITLE}\n\nStandups in **writing**")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_action_bar_stays_in_sight_while_the_page_scrolls(open_post, viewport, screenshot_dir):
    long_text = "\n\n".join(f"## Part {n}\n\nStandups in writing, part {n}." for n in range(30))
    page = open_post("blog", viewport, markdown=f"# {TITLE}\n\n{long_text}\n")
    bar = page.get_by_role("navigation", name="Post actions")
    for name in ("Copy", "Copy Markdown", "Download .md", "Edit", "Regenerate"):
        expect(
            bar.get_by_role("button", name=name, exact=True).or_(
                bar.get_by_role("link", name=name, exact=True)
            )
        ).to_be_visible()
    assert bar_in_view(page)
    page.mouse.wheel(0, 5000)
    page.wait_for_function("() => window.scrollY > 0")
    assert bar_in_view(page)
    # What the reader sees, not the whole page: the bar over the scrolled text.
    page.screenshot(path=str(screenshot_dir / f"post-actions-{viewport}.png"), caret="initial")
    # Scrolled to the end, the page's last line (the footer) shows above the bar.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert page.evaluate(FOOTER_CLEAR_OF_THE_BAR)
    bar.get_by_role("button", name="Regenerate").click()
    expect(page).to_have_url(re.compile(r"/posts/new\?from_post=[0-9a-f]{24}$"))


def test_the_phone_layout_has_no_sideways_scroll(open_post):
    page = open_post("twitter", "phone")
    assert_no_horizontal_overflow(page)
