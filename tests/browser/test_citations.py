"""Citations in headless Chromium: a draft written offline from an uploaded source cites it
in every paragraph, and a footnote opens the source at the cited passage, highlighted."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ..factories import make_completed_post, make_parsed_source, make_project, make_user
from .conftest import assert_no_axe_violations, sign_in, source_status
from .test_signup_flow import create_project, sign_up

PARSE_TIMEOUT_MS = 30_000
GENERATION_TIMEOUT_MS = 60_000
SOURCE = b"""# Remote standups

Asynchronous standups replace the daily meeting with a short written update.
Each person posts what they did, what they plan and what blocks them.

Teams that switched to written standups saved about twenty minutes a day per person.
The time came back mostly as longer stretches of focused work.

Written updates also leave a record. New team members read a week of updates to learn
who works on what, and managers spot blockers without asking.

Standups still need a rhythm. Most teams post before ten in the morning, and a lead
reads every update the same day and answers the blockers first.
"""


def test_every_paragraph_cites_and_a_footnote_opens_the_passage(
    page: Page, live_server, worker, screenshot
):
    sign_up(page, live_server, name="Grace Hopper", email="grace@example.com")
    create_project(page, "Team rituals", "Posts about how the team works.")
    page.set_input_files(
        "#source-files",
        files=[{"name": "standups.md", "mimeType": "text/markdown", "buffer": SOURCE}],
    )  # sent as soon as chosen
    expect(source_status(page, "standups.md")).to_have_text("Ready", timeout=PARSE_TIMEOUT_MS)

    page.get_by_role("button", name="New post").first.click()
    page.get_by_label("Topic").fill("Asynchronous standups for remote teams")
    page.get_by_label("Short · 800–1,200 words").check()
    page.get_by_role("radio", name="Blog post", exact=True).check()
    page.get_by_label("standups.md").check()
    page.get_by_role("button", name="Generate").click()
    expect(page).to_have_url(re.compile(r"/posts/[0-9a-f]{24}$"), timeout=GENERATION_TIMEOUT_MS)

    paragraphs = page.locator(".prose > p")
    assert paragraphs.count() >= 1
    for index in range(paragraphs.count()):
        paragraph = paragraphs.nth(index)
        expect(paragraph.locator("sup > a[href^='#cite-']").first).to_be_attached()
    screenshot("post-with-footnotes")

    reference = page.locator(".prose sup > a").first
    number = reference.inner_text()
    reference.click()
    expect(page).to_have_url(re.compile(rf"#cite-{number}$"))
    note = page.locator(f"#cite-{number}")
    quote = " ".join(note.locator(".footnote-quote").inner_text().split())
    note.get_by_role("link", name="standups.md").click()

    expect(page).to_have_url(
        re.compile(r"/sources/[0-9a-f]{24}\?passage=\d+&quote=[^#]+#passage-\d+$")
    )
    cited = page.locator(".passage-cited")
    expect(cited).to_have_count(1)
    expect(cited).to_have_attribute("aria-current", "true")
    passage = re.search(r"#passage-(\d+)$", page.url).group(1)
    expect(cited).to_have_attribute("id", f"passage-{passage}")
    assert quote in " ".join(cited.inner_text().split())
    expect(cited.locator("mark.passage-quote")).to_have_text(quote)
    expect(cited).to_be_in_viewport()
    screenshot("source-passage-highlighted")


def cited_post(app, user, project) -> str:
    """A parsed source of 60 paragraphs and a post citing its 3rd and 52nd."""
    text = "\n\n".join(f"Finding {n}: teams wrote {n} updates." for n in range(1, 61))
    source_id = make_parsed_source(app, user, project, text, "findings.txt")
    cite = [
        {
            "n": n,
            "source_id": source_id,
            "source_name": "findings.txt",
            "quote": f"Finding {paragraph}: teams wrote {paragraph} updates.",
            "location": {"page": None, "paragraph": paragraph},
        }
        for n, paragraph in ((1, 3), (2, 52))
    ]
    markdown = "# Findings\n\nTeams wrote updates.[1]\n\nMany more of them later.[2][1]\n"
    return make_completed_post(
        app,
        user,
        project,
        {"title": "Findings", "markdown": markdown, "kind": "draft", "citations": cite},
        [{"code": "VOICE_NEEDS_MODEL", "message": "Only a model writes casually."}],
        topic="Findings",
        voice="casual",
        word_count=8,
        source_ids=[source_id],
    )


def test_a_footnote_opens_its_source_scrolled_to_the_highlighted_passage(
    page: Page, app, live_server, screenshot
):
    user = make_user(app, email="ida@example.com")
    project = make_project(app, user, name="Findings")
    post_id = cited_post(app, user, project)
    sign_in(page, user)
    page.goto(f"/posts/{post_id}")
    expect(page.get_by_role("status").filter(has_text="Only a model writes")).to_be_visible()
    for paragraph in page.locator(".prose > p").all():
        expect(paragraph.locator("sup > a").first).to_be_attached()
    assert_no_axe_violations(page)
    screenshot("post")

    page.locator(".prose sup > a", has_text="2").click()
    expect(page.locator("#cite-2")).to_be_in_viewport()
    page.locator("#cite-2").get_by_role("link", name="findings.txt").click()
    expect(page).to_have_url(re.compile(r"\?passage=52&quote=[^#]+#passage-52$"))
    cited = page.locator(".passage-cited")
    expect(cited).to_have_id("passage-52")
    expect(cited).to_contain_text("Finding 52: teams wrote 52 updates.")
    expect(cited).to_be_in_viewport()
    expect(page.locator("[aria-current='true'].passage")).to_have_count(1)
    assert_no_axe_violations(page)
    screenshot("source")
