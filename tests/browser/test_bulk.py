"""A 40-row bulk job in headless Chromium: upload a topics CSV on the project page, press
"Generate all" on its page, and watch the job's table fill in live (htmx polling, no
reload) until every row links to its post and the ZIP holds all 40.

A web server and worker of their own write with litellm against the loopback model server:
one call per row (short LinkedIn posts), each answered after a delay, three rows at a time
(the starter plan's concurrency), so the rows take a few seconds and are seen turning."""

from __future__ import annotations

import io
import json
import re
import zipfile
from types import SimpleNamespace

from playwright.sync_api import Page, expect

from ..api.test_posts import worker_paused
from ..factories import make_project, make_user
from ..files import make_csv
from .conftest import assert_no_axe_violations, open_page, sign_in, source_row, status_badge, watch

ROWS = 40
JOB_TIMEOUT_MS = 45_000
PARSE_TIMEOUT_MS = 20_000
# Seconds the model takes per row: with 3 rows at a time, ~6 s for all 40, a few polls.
MODEL_DELAY = 0.4
# Reports, at every change of the rows table, how many rows are processing and completed,
# with an id of this page load (a reload would show as a second id).
REPORT_ROWS = """() => {
  const load = Math.random();
  let last = null;
  const report = () => {
    const count = (status) =>
      document.querySelectorAll(`#bulk-rows .badge.status-${status}`).length;
    const now = [count('processing'), count('completed')];
    if (String(now) !== String(last)) { last = now; window.reportRows(load, ...now); }
  };
  new MutationObserver(report).observe(document.body, {childList: true, subtree: true});
  report();
}"""


def topics_csv() -> bytes:
    return make_csv(
        [
            (f"Product tip number {n} for busy teams", "casual", "", "short", "linkedin")
            for n in range(1, ROWS + 1)
        ],
        header=("topic", "voice", "custom_instructions", "target_length", "channel"),
    )


def upload_csv(page: Page, project_id: str, name: str) -> None:
    """Through the project page's upload form, then until the list shows it parsed."""
    page.goto(f"/projects/{project_id}")
    page.locator("#source-files").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": topics_csv()}
    )  # sent as soon as chosen
    expect(status_badge(source_row(page, name))).to_have_text("Ready", timeout=PARSE_TIMEOUT_MS)


def statuses(page: Page) -> list[str]:
    return page.locator("#bulk-rows tbody .badge").all_inner_texts()


def test_a_40_row_bulk_job_fills_its_table_live(browser, model_stack, llm_server, app):
    server, worker = model_stack()
    llm_server.delay = MODEL_DELAY
    user = make_user(app, email="bulk@example.com", name="Bea Bulk", plan="starter")
    project = make_project(app, user, name="Launch week")
    page = open_page(browser, server, accept_downloads=True)
    problems = watch(page)
    seen: list[tuple[float, int, int]] = []
    page.expose_function("reportRows", lambda load, *counts: seen.append((load, *counts)))
    try:
        sign_in(page, SimpleNamespace(email=user.email, password=user.password))
        upload_csv(page, project.id, "launch-topics.csv")
        page.get_by_role("link", name="launch-topics.csv", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("launch-topics.csv")

        # Held until the page has been seen with every row queued.
        with worker_paused(worker):
            page.get_by_role("button", name=f"Generate all ({ROWS} rows)").click()
            expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f]{24}$"))
            expect(page.get_by_role("heading", level=1)).to_contain_text("Bulk generation")
            expect(page.locator("#bulk-rows tbody tr")).to_have_count(ROWS)
            assert statuses(page) == ["Waiting"] * ROWS
            expect(page.locator("#job-progress")).to_have_attribute("hx-trigger", "every 1s")
            assert_no_axe_violations(page)
            page.evaluate(REPORT_ROWS)

        completed = page.locator("#bulk-rows .badge.status-completed")
        expect(completed).to_have_count(ROWS, timeout=JOB_TIMEOUT_MS)
        expect(page.locator("#job-progress")).not_to_have_attribute("hx-trigger", re.compile(".*"))

        # One page load all along, the table changing under it as htmx swapped it in.
        assert len({load for load, *_ in seen}) == 1, "the page was reloaded"
        done = [count for _, _, count in seen]
        assert done == sorted(done) and done[0] == 0 and done[-1] == ROWS, done
        assert len({count for count in done if 0 < count < ROWS}) >= 2, seen
        assert max(processing for _, processing, _ in seen) > 0, seen

        expect(page.locator("#job-progress-bar")).to_have_attribute("value", "100")
        expect(page.locator("#job-progress .job-status .badge")).to_have_text("Done")
        expect(page.get_by_text(f"Done: {ROWS} posts written.")).to_be_visible()
        links = page.locator("#bulk-rows tbody tr").get_by_role("link", name=re.compile("^Open"))
        expect(links).to_have_count(ROWS)
        hrefs = [links.nth(i).get_attribute("href") for i in range(ROWS)]
        post_ids = [re.fullmatch(r"/posts/([0-9a-f]{24})", href).group(1) for href in hrefs]
        assert len(set(post_ids)) == ROWS
        assert_no_axe_violations(page)

        # A link styled as a button (role="button", as the app's other styled links).
        download = page.get_by_role("button", name="Download ZIP")
        expect(download).to_have_attribute("href", re.compile(r"^/jobs/[0-9a-f]{24}/posts\.zip$"))
        with page.expect_download() as download_info:
            download.click()
        archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
        assert archive.testzip() is None
        manifest = json.loads(archive.read("manifest.json"))
        assert [post["id"] for post in manifest["posts"]] == post_ids
        assert [post["position"] for post in manifest["posts"]] == list(range(2, ROWS + 2))

        links.first.click()
        expect(page).to_have_url(re.compile(rf"/posts/{post_ids[0]}$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Product tip number 1")
        assert problems == []
    finally:
        page.context.close()
