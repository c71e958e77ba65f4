"""Workflows in headless Chromium, against the live server and the real worker (offline
writer): a marketer chooses the campaign pack (the form shows its fields), asks to review
the outline, edits it at the checkpoint (renames a section, removes one, moves one up; the
page does not poll meanwhile), has the posts written, and reads the blog post, whose
headings are the edited ones, then downloads the four posts as a ZIP from the job's page.
axe stays clean on the form and on the checkpoint."""

from __future__ import annotations

import json
import re
import zipfile

from playwright.sync_api import Page, expect

from ..factories import make_project, make_user
from .conftest import assert_no_axe_violations, assert_no_horizontal_overflow, sign_in, watch
from .test_generation import GENERATION_TIMEOUT_MS

RENAMED = "Why every campaign starts with one brief"


def section(page: Page, number: int):
    return page.get_by_role("group", name=f"Section {number}", exact=True)


def outline_headings(page: Page) -> list[str]:
    count = page.locator("#outline-sections > li").count()
    return [section(page, n).get_by_label("Heading").input_value() for n in range(1, count + 1)]


def test_a_campaign_pack_with_an_edited_outline(page: Page, app, live_server, worker, screenshot):
    problems = watch(page)
    user = make_user(app, email="grace@example.com")
    project = make_project(app, user, name="Autumn launch")
    sign_in(page, user)
    page.goto(f"/projects/{project.id}/posts/new")

    # Choosing a format shows its fields: an X thread has no length to pick.
    length = page.get_by_role("group", name="Length")
    expect(length).to_be_visible()
    page.get_by_role("radio", name="X thread").check()
    expect(length).to_be_hidden()
    page.get_by_label("Repurpose a post").check()
    expect(page.get_by_label("Post to repurpose")).to_be_visible()
    expect(page.get_by_label("Review the outline before writing")).to_be_hidden()
    page.get_by_label("Campaign pack").check()
    expect(length).to_be_visible()
    expect(page.get_by_label("Post to repurpose")).to_be_hidden()
    page.get_by_label("Topic").fill("Launching the autumn rain jacket")
    page.get_by_label("Voice", exact=True).select_option("casual")
    page.get_by_label("Short · 800–1,200 words").check()
    page.get_by_label("Review the outline before writing").check()
    assert_no_axe_violations(page)
    screenshot("form")
    page.get_by_role("button", name="Generate").click()

    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f]{24}$"))
    job_path = re.sub(r"^https?://[^/]+", "", page.url)
    expect(page.get_by_role("heading", name="Review the outline")).to_be_visible(
        timeout=GENERATION_TIMEOUT_MS
    )
    # Paused: the page stops asking for news.
    expect(page.locator("#job-progress")).not_to_have_attribute("hx-trigger", re.compile("."))
    polls = []
    page.on("request", lambda r: polls.append(r.url) if r.url.endswith(job_path) else None)
    page.wait_for_timeout(2500)
    assert polls == []
    assert_no_axe_violations(page)

    planned = outline_headings(page)
    assert len(planned) >= 4, planned
    section(page, 1).get_by_label("Heading").fill(RENAMED)
    section(page, 2).get_by_role("button", name="Remove").click()
    expected = [RENAMED, *planned[2:]]
    expect(section(page, 2).get_by_label("Heading")).to_have_value(expected[1])
    expect(page.get_by_text("Not saved yet")).to_be_visible()
    section(page, 3).get_by_role("button", name="Move up").click()
    expected[1], expected[2] = expected[2], expected[1]
    expect(section(page, 2).get_by_label("Heading")).to_have_value(expected[1])
    # The moved section keeps the keyboard focus on its button.
    expect(section(page, 2).get_by_role("button", name="Move up")).to_be_focused()
    assert outline_headings(page) == expected
    page.get_by_role("button", name="Save outline").click()
    expect(page.get_by_text("Outline saved.")).to_be_visible()
    screenshot("checkpoint")
    assert_no_axe_violations(page)
    assert_no_horizontal_overflow(page)

    page.get_by_role("button", name="Write the post").click()
    expect(page.get_by_role("heading", name="Review the outline")).to_be_hidden()
    # The job's page lists the four posts it wrote; the blog post follows the edit.
    expect(page.get_by_text("Done: 4 posts written.")).to_be_visible(timeout=GENERATION_TIMEOUT_MS)
    written_links = page.locator(".job-posts a")
    assert written_links.all_inner_texts() == [
        "Blog post",
        "X / Twitter thread",
        "LinkedIn post",
        "Email newsletter",
    ]
    assert_no_axe_violations(page)
    screenshot("done")
    page.get_by_role("link", name="Blog post").click()
    expect(page).to_have_url(re.compile(r"/posts/[0-9a-f]{24}$"))
    expect(page.locator(".prose h2").first).to_be_visible()
    written = page.locator(".prose h2").all_inner_texts()
    assert written[: len(expected)] == expected

    # The job's page offers its four posts as one ZIP, the blog post first.
    page.goto(job_path)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download ZIP").click()
    archive = zipfile.ZipFile(download.value.path())
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["job"]["id"] == job_path.rsplit("/", 1)[1]
    posts = manifest["posts"]
    assert [(p["position"], p["channel"]) for p in posts] == [
        (0, "blog"),
        (1, "twitter"),
        (2, "linkedin"),
        (3, "email"),
    ]
    blog = archive.read(next(f for f in posts[0]["files"] if f.endswith(".md"))).decode()
    assert re.findall(r"^## (.+)$", blog, re.M)[: len(expected)] == expected
    assert problems == []
