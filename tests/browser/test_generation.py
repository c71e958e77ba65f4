"""The generation path in headless Chromium: fill the form, watch the progress bar move and
the draft appear on the job page (htmx polling, no reload), land on the rendered post.

A web server and worker of their own write with litellm against the loopback model server,
which answers slowly enough (delays per call and per streamed chunk) to be watched."""

from __future__ import annotations

import re
from types import SimpleNamespace

from playwright.sync_api import expect

from .conftest import open_page
from .test_signup_flow import create_project, sign_up

GENERATION_TIMEOUT_MS = 60_000
# Reports every value the progress bar shows, with an id of this page load, as htmx swaps
# the fragment in (the values survive the final move to the post page).
REPORT_PROGRESS = """() => {
  const load = Math.random();
  let last = null;
  const report = () => {
    const bar = document.querySelector('#job-progress-bar');
    if (bar && bar.value !== last) { last = bar.value; window.reportProgress(load, bar.value); }
  };
  new MutationObserver(report).observe(document.body, {childList: true, subtree: true,
                                                       attributes: true});
  report();
}"""


def test_generate_a_post_and_watch_it_being_written(
    browser, model_stack, llm_server, screenshot_dir
):
    server, _ = model_stack()
    llm_server.delay = 0.5
    llm_server.chunk_delay = 0.03
    page = open_page(browser, server)
    seen = []
    page.expose_function("reportProgress", lambda load, value: seen.append((load, value)))
    try:
        sign_up(page, SimpleNamespace(url=server))
        create_project(page, "Spring newsletter", "Posts for the spring campaign")
        page.get_by_role("button", name="New post").first.click()
        expect(page.get_by_role("heading", level=1, name="New post")).to_be_visible()
        expect(page.locator("#voice option[value=gen_z]")).to_be_disabled()

        page.get_by_label("Topic").fill("Spring gardening tips for small balconies")
        page.get_by_label("Voice").select_option("casual")
        page.get_by_label("Short · 800–1,200 words").check()
        page.get_by_role("radio", name="Blog post", exact=True).check()
        page.get_by_role("button", name="Generate").click()

        expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f]{24}$"))
        expect(page.locator("#job-progress-bar")).to_be_visible()
        page.evaluate(REPORT_PROGRESS)
        expect(page.locator(".draft-part").first).not_to_be_empty(timeout=GENERATION_TIMEOUT_MS)
        page.screenshot(path=str(screenshot_dir / "generation-job-page.png"), full_page=True)

        expect(page).to_have_url(re.compile(r"/posts/[0-9a-f]{24}$"), timeout=GENERATION_TIMEOUT_MS)
        values = [value for _, value in seen]
        assert len(set(values)) >= 2 and values == sorted(values), f"progress: {values}"
        # One page load all along: htmx swapped the fragment, nothing reloaded.
        assert len({load for load, _ in seen}) == 1
        expect(page.locator(".prose h1")).to_be_visible()
        assert page.locator(".prose h2").count() >= 4
        expect(page.get_by_text("openai/fake-model")).to_be_visible()
        words = page.locator("dt:has-text('Words') + dd").inner_text()
        assert 800 <= int(words.replace(",", "")) <= 1200
        page.screenshot(path=str(screenshot_dir / "generation-post-page.png"), full_page=True)
    finally:
        page.context.close()
