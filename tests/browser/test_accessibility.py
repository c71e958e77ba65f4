"""Every page of the product, as a user reaches it, passes axe-core (no serious or critical
violation at 1280x900) and fits a phone screen (nothing scrolls sideways at 390x844).

Data is made the way a user makes it: through the pages, the real worker (offline writer)
and, for the job pages, a server and worker of their own writing with the loopback model
server, slow enough to catch a job running."""

from __future__ import annotations

import re
from types import SimpleNamespace

from playwright.sync_api import Page, expect

from ..factories import make_project, make_user
from ..files import make_corrupt_pdf, make_pdf
from .conftest import (
    assert_no_axe_violations,
    assert_no_horizontal_overflow,
    open_page,
    sign_in,
    source_status,
)
from .test_generation import GENERATION_TIMEOUT_MS
from .test_signup_flow import PASSWORD, create_project

PARSE_TIMEOUT_MS = 30_000


def check(page: Page) -> None:
    """The page as it is now: accessible at desktop width, no sideways scroll on a phone."""
    assert_no_axe_violations(page)
    assert_no_horizontal_overflow(page)


def visit(page: Page, url: str, heading: str | re.Pattern[str]) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    check(page)


def upload(page: Page, filename: str, data: bytes) -> None:
    page.locator("#source-files").set_input_files(
        {"name": filename, "mimeType": "application/pdf", "buffer": data}
    )  # sent as soon as chosen
    expect(page.locator("#sources-list").get_by_role("link", name=filename)).to_be_visible()


def generate(page: Page, topic: str, source: str) -> None:
    """From the project page through the form and the job page to the finished post."""
    page.get_by_role("button", name="New post").first.click()
    page.get_by_label("Topic").fill(topic)
    page.get_by_label(source).check()
    page.get_by_role("button", name="Generate").click()
    expect(page).to_have_url(re.compile(r"/posts/[0-9a-f]{24}$"), timeout=GENERATION_TIMEOUT_MS)


def test_public_pages(page: Page):
    visit(page, "/", "Drafts grounded in your own material.")
    visit(page, "/signup", "Create your account")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_label("Work email")).to_have_attribute("aria-invalid", "true")
    check(page)

    visit(page, "/login", "Sign in")
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
    check(page)

    visit(page, "/api/docs", re.compile("API"))
    response = page.goto("/no-such-page")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    check(page)


def test_dashboard_and_project_forms(page: Page, app):
    user = make_user(app, email="ada@example.com")
    sign_in(page, user)
    expect(page.get_by_text("No projects yet")).to_be_visible()
    check(page)

    page.get_by_role("button", name="New project").click()
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_label("Project name")).to_have_attribute("aria-invalid", "true")
    check(page)

    for number in range(1, 4):
        make_project(app, user, name=f"Campaign {number}", description="Spring launch posts.")
    project = make_project(
        app, user, name="Engineering blog", description="Deep dives on how we build things. " * 4
    )
    visit(page, "/projects", "Projects")
    expect(page.locator(".project-card")).to_have_count(4)
    check(page)

    visit(page, f"/projects/{project.id}/edit", "Edit “Engineering blog”")
    expect(page.get_by_label("Project name")).to_have_value("Engineering blog")
    visit(page, f"/projects/{project.id}/delete", "Delete “Engineering blog”?")
    visit(page, "/no-such-page", "Page not found")


def test_project_sources_posts_and_links(page: Page, app, worker):
    user = make_user(app, email="grace@example.com")
    sign_in(page, user)
    create_project(page, "Compilers", "Notes for the compilers newsletter.")
    project_url = page.url

    upload(
        page,
        "compilers.pdf",
        make_pdf(["A compiler translates source code.", "Linkers combine object files."]),
    )
    upload(page, "broken.pdf", make_corrupt_pdf())
    expect(source_status(page, "compilers.pdf")).to_have_text("Ready", timeout=PARSE_TIMEOUT_MS)
    expect(source_status(page, "broken.pdf")).to_have_text(
        "Couldn’t read", timeout=PARSE_TIMEOUT_MS
    )
    expect(page.locator("#sources-list")).to_contain_text("The PDF is damaged")

    page.locator("#links-panel summary").click()  # the form is folded until opened
    page.get_by_label("Target URL").fill("https://example.com/guides/compilers")
    page.get_by_label("Keywords").fill("compiler, linker")
    page.get_by_role("button", name="Add link opportunity").click()
    expect(page.locator("#links-panel tbody tr")).to_have_count(1)

    generate(page, "How a compiler turns source code into programs", "compilers.pdf")
    expect(page.locator(".prose h1")).to_be_visible()
    check(page)
    post_url = page.url
    visit(page, post_url + "/delete", re.compile(r"^Delete “How a compiler"))

    visit(page, project_url, "Compilers")
    expect(page.locator("#posts-list tbody tr")).to_have_count(1)
    check(page)
    links = {
        name: page.locator("#sources-list").get_by_role("link", name=name).get_attribute("href")
        for name in ("compilers.pdf", "broken.pdf")
    }
    link_delete_url = (
        page.locator("#links-panel").get_by_role("link", name="Remove").get_attribute("href")
    )

    visit(page, links["compilers.pdf"], "compilers.pdf")
    expect(page.get_by_role("heading", level=2, name="Text", exact=True)).to_be_visible()
    visit(page, links["broken.pdf"], "broken.pdf")
    expect(page.get_by_role("alert")).to_contain_text("Couldn’t read this file: The PDF is damaged")
    visit(page, links["broken.pdf"] + "/delete", "Delete “broken.pdf”?")
    visit(page, link_delete_url, re.compile("^Remove the link opportunity"))
    visit(page, project_url + "/sources", "Sources")
    visit(page, project_url + "/posts", "Posts")
    visit(page, project_url + "/links", "Link opportunities")

    visit(page, project_url + "/posts/new", "New post")
    page.get_by_label("Topic").fill("")
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_label("Topic")).to_have_attribute("aria-invalid", "true")
    check(page)


def test_settings_pages(page: Page, app):
    user = make_user(app, email="katherine@example.com")
    sign_in(page, user)
    page.goto("/settings")
    expect(page.get_by_role("heading", level=2, name="Profile")).to_be_visible()
    check(page)

    page.goto("/settings/password")
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password").fill("short")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_label("New password")).to_have_attribute("aria-invalid", "true")
    check(page)

    page.goto("/settings/api-keys")
    expect(page.get_by_text("No API keys yet")).to_be_visible()
    check(page)
    page.get_by_label("Key name").fill("Publishing pipeline on the build server")
    page.get_by_role("button", name="Create key").click()
    expect(page.locator("#new-api-key")).to_have_value(re.compile(r"^sk_live_"))
    check(page)

    revoke_url = page.get_by_role("link", name=re.compile("^Revoke")).get_attribute("href")
    visit(page, revoke_url, "Settings")
    expect(
        page.get_by_role("heading", level=2, name=re.compile("^Revoke “Publishing"))
    ).to_be_visible()


def test_job_pages_running_and_failed(browser, model_stack, llm_server, app):
    server, _ = model_stack()
    user = make_user(app, email="margaret@example.com")
    project = make_project(app, user, name="Apollo", description="Guidance computer notes.")
    page = open_page(browser, server)
    try:
        sign_in(page, SimpleNamespace(email=user.email, password=PASSWORD))

        # Running: the model answers slowly, the draft appears part by part.
        llm_server.delay, llm_server.chunk_delay = 0.2, 0.15
        page.goto(f"/projects/{project.id}/posts/new")
        page.get_by_label("Topic").fill("Writing software for the Moon landing")
        page.get_by_role("button", name="Generate").click()
        expect(page.locator(".draft-part").first).not_to_be_empty(timeout=GENERATION_TIMEOUT_MS)
        expect(page.locator("#job-progress .badge").first).to_have_text("Writing…")
        check(page)
        job_url = page.url

        # Let it finish, then make the next one fail: the model refuses the request.
        llm_server.delay, llm_server.chunk_delay = 0, 0
        page.goto(job_url)
        expect(page).to_have_url(re.compile(r"/posts/[0-9a-f]{24}$"), timeout=GENERATION_TIMEOUT_MS)
        llm_server.fail_next(400, times=20)
        page.goto(f"/projects/{project.id}/posts/new")
        page.get_by_label("Topic").fill("Error handling in the guidance computer")
        page.get_by_role("button", name="Generate").click()
        expect(page.get_by_role("alert")).to_contain_text(
            "Generation failed: The model provider refused the request",
            timeout=GENERATION_TIMEOUT_MS,
        )
        check(page)
    finally:
        page.context.close()
