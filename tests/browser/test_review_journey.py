"""Issue 15's "Done when", tried as a team would in headless Chromium: an editor accepts a
model suggestion (offline shorten, written by the worker) and it shows as a revision with its
citations intact; a reviewer comments on a passage, requests changes, then approves, and a
later edit drops the approval; a guest opens a share link without an account until it is
revoked; the project's ZIP holds every post in three formats. Each person has a browser
context of their own."""

from __future__ import annotations

import io
import json
import re
import zipfile
from contextlib import contextmanager
from types import SimpleNamespace

from playwright.sync_api import Browser, Page, expect

from ..factories import add_member, make_team_project, make_user, make_workspace
from ..review_factories import make_reviewable_post
from .conftest import (
    DEFAULT_TIMEOUT_MS,
    REPO_ROOT,
    SELECT_PASSAGE,
    assert_no_axe_violations,
    assert_no_horizontal_overflow,
    sign_in,
    watch,
)

DOCS_DIR = REPO_ROOT / "docs"
PASSAGE = (
    "Asynchronous standups save about 20 minutes a day per person.[2] "
    "People answer when they are free."
)
DROPPED = "People answer when they are free."
COMMENTED = "Teams that write things down meet less often."


def team(app) -> SimpleNamespace:
    """Olga owns a team workspace where Ed edits and Rita reviews; a generated blog post of
    its project cites a parsed source."""
    olga = make_user(app, email="olga@example.com", name="Olga Owner")
    ed = make_user(app, email="ed@example.com", name="Ed Editor")
    rita = make_user(app, email="rita@example.com", name="Rita Reviewer")
    workspace = make_workspace(app, olga, "Agency")
    add_member(app, workspace, ed, "editor")
    add_member(app, workspace, rita, "reviewer")
    project = make_team_project(app, workspace, olga, "Team rituals")
    post_id = make_reviewable_post(app, olga, project)
    return SimpleNamespace(olga=olga, ed=ed, rita=rita, project=project, post_id=post_id)


@contextmanager
def person(browser: Browser, live_server, user=None):
    """A page in a browser context of its own (as the `page` fixture builds one), signed in
    as `user` (or a guest when None); closed afterwards."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    try:
        page = context.new_page()
        if user is not None:
            sign_in(page, user)
        yield page
    finally:
        context.close()


def review_status(page: Page):
    return page.locator("#post-review [data-review-status]")


def test_an_accepted_suggestion_is_a_revision_with_its_citations_intact(
    page: Page, app, live_server, worker, screenshot
):
    crew = team(app)
    problems = watch(page)
    sign_in(page, crew.ed)
    page.goto(f"/posts/{crew.post_id}/edit")
    page.get_by_label("Passage").fill(PASSAGE)
    page.get_by_label("Change").select_option(label="Shorten")
    page.get_by_role("button", name="Ask for a suggestion").click()

    card = page.locator("#suggestions li.suggestion")
    expect(card).to_have_count(1)
    expect(card).to_have_class(re.compile(r"\bsuggestion-ready\b"), timeout=30_000)
    expect(card.locator(".suggestion-after del")).to_have_text(DROPPED)
    assert_no_axe_violations(page)
    screenshot("suggestion-ready")
    page.screenshot(path=str(DOCS_DIR / "editor-page.png"), full_page=True)  # the README's
    card.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Suggestion accepted: the post has a new revision.")).to_be_visible()
    expect(page.get_by_label("Markdown")).not_to_have_value(re.compile(re.escape(DROPPED)))

    page.goto(f"/posts/{crew.post_id}/revisions")
    rows = page.locator("table.revisions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Accepted suggestion: shorten")
    expect(rows.first).to_contain_text("Ed Editor")
    expect(rows.last).to_contain_text("Generated")
    page.get_by_role("button", name="Compare").click()
    diff = page.locator("pre.diff")
    expect(diff.locator(".diff-remove")).to_contain_text(DROPPED)
    expect(diff.locator(".diff-add")).to_contain_text(
        "Asynchronous standups save about 20 minutes a day per person.[2]"
    )
    assert_no_axe_violations(page)
    assert_no_horizontal_overflow(page)  # the revisions table scrolls inside its box

    page.goto(f"/posts/{crew.post_id}")
    prose = page.locator(".prose")
    expect(prose).to_contain_text("Asynchronous standups save about 20 minutes a day per person.")
    expect(prose).not_to_contain_text(DROPPED)
    expect(prose.locator("sup > a[href='#cite-2']")).to_have_text("2")
    expect(prose.locator("sup > a[href='#cite-1']")).to_have_text("1")
    expect(page.locator("#cite-2 .footnote-quote")).to_have_text(
        "Asynchronous standups save about 20 minutes a day per person."
    )
    expect(page.locator("#cite-2").get_by_role("link", name="survey.md")).to_be_visible()
    expect(page.locator(".post-facts")).to_contain_text("version 2")
    assert problems == []


def test_a_reviewer_comments_requests_changes_and_approves_and_an_edit_drops_it(
    page: Page, app, live_server, browser, screenshot
):
    crew = team(app)
    problems = watch(page)
    sign_in(page, crew.ed)
    page.goto(f"/posts/{crew.post_id}")
    expect(review_status(page)).to_have_attribute("data-review-status", "draft")
    page.get_by_role("button", name="Submit for review").click()
    expect(review_status(page)).to_have_attribute("data-review-status", "in_review")

    with person(browser, live_server, crew.rita) as rita:
        rita_problems = watch(rita)
        rita.goto(f"/posts/{crew.post_id}")
        rita.evaluate(SELECT_PASSAGE, COMMENTED)
        rita.get_by_role("button", name="Quote the text selected in the post").click()
        expect(rita.locator("#comment-quote")).to_have_value(COMMENTED)
        rita.get_by_label("Comment", exact=True).fill("Which teams? Name the survey here.")
        rita.get_by_role("button", name="Comment", exact=True).click()
        comment = rita.locator("#comments article.comment")
        expect(comment.locator(".comment-quote")).to_have_text(COMMENTED)
        expect(comment.locator(".comment-body")).to_have_text("Which teams? Name the survey here.")
        expect(rita.locator(".prose mark.comment-highlight")).to_have_text(COMMENTED)
        assert_no_axe_violations(rita)

        rita.get_by_text("Request changes", exact=True).first.click()  # the <summary>
        rita.get_by_label("What should change?").fill("Say who ran the survey.")
        rita.get_by_role("button", name="Request changes").click()
        expect(review_status(rita)).to_have_attribute("data-review-status", "changes_requested")
        expect(rita.locator("#comments")).to_contain_text("Say who ran the survey.")

        page.reload()
        expect(review_status(page)).to_have_attribute("data-review-status", "changes_requested")
        expect(page.locator(".prose mark.comment-highlight")).to_have_text(COMMENTED)
        page.get_by_role("button", name="Submit for review").click()
        expect(review_status(page)).to_have_attribute("data-review-status", "in_review")

        rita.reload()
        rita.get_by_role("button", name="Approve version 1").click()
        expect(review_status(rita)).to_have_attribute("data-review-status", "approved")
        expect(rita.locator(".approval-record")).to_contain_text(
            "Approved version 1 by Rita Reviewer"
        )
        passage_comment = rita.locator("#comments article.comment").filter(has_text=COMMENTED)
        passage_comment.get_by_role("button", name="Resolve").click()
        expect(passage_comment.locator(".badge")).to_have_text("resolved")
        assert_no_axe_violations(rita)  # a resolved comment stays legible
        assert rita_problems == []

    page.get_by_role("button", name="Edit", exact=True).click()
    text = page.get_by_label("Markdown")
    text.press("Control+End")
    text.type("\nRun by the Remote Work Institute.")
    expect(page.locator("#editor-status")).to_have_text("Saved · version 2", timeout=10_000)
    page.goto(f"/posts/{crew.post_id}")
    expect(review_status(page)).to_have_attribute("data-review-status", "draft")
    record = page.locator(".approval-record")
    expect(record).to_contain_text("Approved version 1 by Rita Reviewer")
    expect(record).to_contain_text("That approval was of an earlier version: this is version 2.")
    expect(page.get_by_role("button", name="Submit for review")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot("approval-of-an-earlier-version")
    assert problems == []


def test_a_guest_reads_a_share_link_until_revoked_and_the_zip_holds_every_post(
    page: Page, app, live_server, browser
):
    crew = team(app)
    second = make_reviewable_post(app, crew.olga, crew.project, channel="email")
    sign_in(page, crew.ed)
    page.goto(f"/posts/{crew.post_id}")
    page.get_by_role("button", name="Make share link").click()
    expect(page.get_by_text("it is shown only once")).to_be_visible()
    url = page.locator("#share-url").input_value()
    token_path = "/share/" + url.rsplit("/share/", 1)[1]
    page.reload()
    expect(page.locator("#share-url")).to_have_count(0)  # shown once only

    with person(browser, live_server) as guest:
        guest_problems = watch(guest)
        response = guest.goto(token_path)
        assert response.status == 200
        assert "noindex" in response.headers["x-robots-tag"]
        assert response.headers["referrer-policy"] == "no-referrer"
        expect(guest.get_by_role("heading", level=1)).to_have_text("Async standups")
        expect(guest.locator(".prose")).to_contain_text(DROPPED)
        expect(guest.locator(".prose sup > a[href='#cite-2']")).to_have_text("2")
        sources = guest.locator("section.footnotes")
        expect(sources.get_by_role("heading", name="Sources")).to_be_visible()
        expect(sources.locator("li")).to_have_count(2)
        expect(sources).to_contain_text("survey.md")
        expect(sources.get_by_role("link", name="survey.md")).to_have_count(0)
        assert_no_axe_violations(guest)
        assert guest_problems == []

        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Revoke link").click()
        expect(page.locator("#share-panel")).to_contain_text("Not shared.")
        response = guest.goto(token_path)
        assert response.status == 404
        expect(guest.get_by_role("heading", level=1)).to_have_text("Not found")
        expect(guest.locator("body")).not_to_contain_text("Async standups")

    page.goto(f"/projects/{crew.project.id}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download all (ZIP)").click()
    download = download_info.value
    assert download.suggested_filename == "team-rituals.zip"
    archive = zipfile.ZipFile(io.BytesIO(download.path().read_bytes()))
    assert archive.testzip() is None
    manifest = json.loads(archive.read("manifest.json"))
    assert {post["id"] for post in manifest["posts"]} == {crew.post_id, second}
    assert sorted(post["channel"] for post in manifest["posts"]) == ["blog", "email"]
    assert [source["name"] for source in manifest["sources"]] == ["survey.md", "survey.md"]
    files = ["manifest.json"]
    for post in manifest["posts"]:
        stem = post["files"][0].rsplit(".", 1)[0]
        assert sorted(post["files"]) == [f"{stem}.{ext}" for ext in ("docx", "html", "md")]
        files += post["files"]
        assert post["title"] == "Async standups" and post["item_version"] == 1
        markdown = archive.read(f"{stem}.md").decode()
        assert "Asynchronous standups save about 20 minutes a day per person.[^2]" in markdown
        html = archive.read(f"{stem}.html").decode()
        assert "Sources" in html and "survey.md" in html
        document = zipfile.ZipFile(io.BytesIO(archive.read(f"{stem}.docx")))
        assert "Async standups" in document.read("word/document.xml").decode()
    assert sorted(archive.namelist()) == sorted(files)
