"""The pages work under the Content-Security-Policy: in Chromium, every main page of the
product, used the way a person uses it (sign up, create a project, drop files on the drop
zone, import a page, write a post and watch its job, read it, settings, API docs, a new
workspace from the header's switcher, its settings, members and invitations pages, and the
mailed invitation link signed up through), raises no `securitypolicyviolation`, logs no
console error or warning and throws no script error.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ..files import make_pdf
from .conftest import drop_files, open_page, source_status
from .test_generation import GENERATION_TIMEOUT_MS
from .test_signup_flow import PASSWORD, create_project, sign_up
from .test_team_journey import mailed_link, switcher

PARSE_TIMEOUT_MS = 30_000
# Runs in every document before its own scripts (an init script is not subject to the
# page's policy): reports each violation with what was blocked and where.
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.reportViolation(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`
                         + ` at ${event.sourceFile || document.URL}:${event.lineNumber}`
                         + ` (${(event.sample || '').slice(0, 60)})`);
});
"""


class Problems(list):
    def watch(self, page: Page) -> None:
        page.expose_function("reportViolation", lambda text: self.append(f"CSP: {text}"))
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", lambda message: self.console(page, message))
        page.on("response", lambda response: self.policy_of(response))
        page.on("pageerror", lambda error: self.append(f"script error on {page.url}: {error}"))

    def policy_of(self, response) -> None:
        """Every page (and htmx fragment) comes with the policy."""
        if response.request.resource_type not in ("document", "xhr", "fetch"):
            return
        policy = response.headers.get("content-security-policy", "")
        if "script-src 'self'" not in policy or "frame-ancestors 'none'" not in policy:
            self.append(f"no Content-Security-Policy on {response.url}: {policy!r}")

    def console(self, page: Page, message) -> None:
        # Chromium asks for /favicon.ico on a history navigation whatever <link rel=icon>
        # says; that 404 has nothing to do with the policy.
        if message.type not in ("error", "warning") or message.location.get("url", "").endswith(
            "/favicon.ico"
        ):
            return
        self.append(f"console {message.type} on {page.url}: {message.text}")

    def assert_none(self, where: str) -> None:
        assert list(self) == [], f"{where}:\n  " + "\n  ".join(self)


def test_main_pages_raise_no_policy_violation(
    page: Page, browser, live_server, worker, web_pages, outbox
):
    problems = Problems()
    problems.watch(page)

    sign_up(page, live_server, name="Rosalind Franklin", email="rosalind@example.com")
    problems.assert_none("sign-up and dashboard")

    create_project(page, "Structures", "Posts about molecular structures.")
    drop_files(
        page,
        [
            (
                "helix.pdf",
                "application/pdf",
                make_pdf(["Photo 51 showed the double helix.", "X-ray diffraction."]),
            )
        ],
    )
    expect(source_status(page, "helix.pdf")).to_have_text("Ready", timeout=PARSE_TIMEOUT_MS)
    # The URL form empties itself after a successful import (app.js, not an hx-on script).
    web_pages.pages["/diffraction"] = (
        200,
        {"Content-Type": "text/html"},
        b"<html><head><title>Diffraction</title></head><body>"
        b"<article><p>" + b"Crystals scatter X-rays. " * 20 + b"</p></article></body></html>",
    )
    page.locator("#url-import summary").click()  # folded until opened
    address = page.get_by_label("Web page address")
    address.fill(f"{web_pages.url}/diffraction")
    page.get_by_role("button", name="Import page").click()
    expect(page.locator("#sources-list").get_by_role("link", name="Diffraction")).to_be_visible(
        timeout=PARSE_TIMEOUT_MS
    )
    expect(address).to_have_value("")
    problems.assert_none("project page: drop zone upload and URL import")

    page.get_by_role("button", name="New post").first.click()
    expect(page.get_by_role("heading", level=1, name=re.compile("New post"))).to_be_visible()
    problems.assert_none("new-post form")
    page.get_by_label("Topic").fill("What Photo 51 showed")
    page.get_by_label("helix.pdf").check()
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/posts/new")
    ) as generated:
        page.get_by_role("button", name="Generate").click()
    job_url = generated.value.headers["hx-location"]
    expect(page).to_have_url(re.compile(r"/posts/[0-9a-f]{24}$"), timeout=GENERATION_TIMEOUT_MS)
    expect(page.locator(".prose h1")).to_be_visible()
    problems.assert_none("job page and post page")

    # The finished job's page (opened directly: when the job ends before its page first
    # loads, the browser goes straight to the post and Back leads to the form instead).
    page.goto(job_url)
    expect(page.get_by_role("link", name="Read the post")).to_be_visible()
    for path, heading in (
        ("/settings/profile", "Settings"),
        ("/settings/api-keys", "Settings"),
        ("/api/docs", re.compile("API")),
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    problems.assert_none("job page, settings and API docs")

    team_pages(page, browser, live_server, outbox, problems)


def team_pages(page: Page, browser, live_server, outbox, problems: Problems) -> None:
    """A new workspace from the switcher, its settings, members and invitations pages, an
    invitation; then the mailed link, in a browser of its own, signed up through."""
    page.goto("/projects")
    switcher(page).get_by_role("link", name="New workspace").click()
    page.get_by_label("Workspace name").fill("Crystallography")
    page.get_by_role("button", name="Create workspace").click()
    expect(page.locator("#dashboard-workspace")).to_have_text("Crystallography")
    switcher(page).get_by_role("link", name="Workspace settings").click()
    expect(page.get_by_role("heading", level=1, name="Crystallography")).to_be_visible()
    page.get_by_role("navigation", name="Workspace sections").get_by_role(
        "link", name="Members"
    ).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Members of"))).to_be_visible()
    page.get_by_role("button", name="Invite people").click()
    expect(page.get_by_role("heading", level=1, name="Invitations")).to_be_visible()
    page.get_by_label("Email address").fill("maurice@example.com")
    page.get_by_label("Role").select_option("viewer")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#flashes")).to_contain_text("Invitation sent to maurice@example.com")
    problems.assert_none("new workspace, workspace settings, members and invitations")

    invited = open_page(browser, live_server.url)
    invited_problems = Problems()
    invited_problems.watch(invited)
    try:
        invited.goto(mailed_link(outbox, "maurice@example.com"))
        expect(invited.get_by_role("heading", level=1, name="Join Crystallography")).to_be_visible()
        invited.get_by_label("Your name").fill("Maurice Wilkins")
        invited.get_by_label("Password").fill(PASSWORD)
        invited.get_by_role("button", name="Create account and join").click()
        expect(invited.locator("#flashes")).to_contain_text("You joined Crystallography")
        invited_problems.assert_none("the invitation link and its sign-up form")
    finally:
        invited.context.close()


def test_a_blocked_inline_script_is_reported(page: Page, live_server):
    """The watch above would see a violation: an inline script added to a page is blocked
    and reported, so an empty report means the pages really ran none."""
    problems = Problems()
    problems.watch(page)
    page.goto("/login")
    page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.inlineRan = true';
        document.body.append(script);
    }""")
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    page.wait_for_timeout(200)
    assert page.evaluate("window.inlineRan === undefined")
    assert any(problem.startswith("CSP: script-src") for problem in problems), problems
