"""The issue's team journey in headless Chromium, through the pages only, as a new team
would: A signs up, creates a workspace with the header's switcher and a project in it,
invites B as editor and R as reviewer from the invitations page; B and R open their mailed
links in browsers of their own, sign up there and see the project; B writes a post (the
offline writer, sent by the worker); R reads it but is offered no New post or Delete and
gets the 403 page on both URLs; an outsider gets the 404 page on all of it; A removes B on
the members page and B's next reload is a 404.

The new-workspace, workspace settings, members, invitations and invitation-link pages
pass the axe check, and the members page fits a phone."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from .conftest import (
    assert_no_axe_violations,
    assert_no_horizontal_overflow,
    open_page,
)
from .test_signup_flow import PASSWORD, create_project, sign_up

WORKSPACE = "Acme marketing"
PROJECT = "Launch week"
TOPIC = "Five things to know before launch day"
GENERATION_TIMEOUT_MS = 60_000
# The mailed link starts with BASE_URL (unset in tests: the fixed default): its path is
# opened on the live server.
LINK = re.compile(r"https?://[^/\s]+(/invitations/\S+)")
ID = r"[0-9a-f]{24}"


def switcher(page: Page):
    """The header's workspace switcher, opened."""
    menu = page.locator("header .workspace-switcher details")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    return menu


def expect_current_workspace(page: Page, name: str) -> None:
    summary = page.locator("header .workspace-switcher summary")
    expect(summary).to_have_text(name)
    expect(summary).to_have_attribute("aria-label", f"Current workspace: {name}")


def create_workspace(page: Page, name: str) -> str:
    switcher(page).get_by_role("link", name="New workspace").click()
    expect(page.get_by_role("heading", level=1, name="New workspace")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Workspace name").fill(name)
    page.get_by_role("button", name="Create workspace").click()
    expect(page).to_have_url(re.compile(r"/projects/?$"))
    expect(page.locator("#flashes")).to_contain_text(f"Workspace “{name}” created.")
    expect_current_workspace(page, name)
    expect(page.locator("#dashboard-workspace")).to_have_text(name)
    switcher(page).get_by_role("link", name="Members").click()
    expect(page).to_have_url(re.compile(rf"/workspaces/{ID}/members$"))
    workspace_id = page.url.rsplit("/", 2)[-2]
    page.get_by_role("navigation", name="Workspace sections").get_by_role(
        "link", name="Settings"
    ).click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="Projects").click()
    expect(page).to_have_url(re.compile(r"/projects/?$"))
    return workspace_id


def switch_to(page: Page, name: str) -> None:
    """Make `name` the current workspace, with the switcher unless it already is."""
    if page.locator("header .workspace-switcher summary").inner_text().strip() != name:
        switcher(page).get_by_role("button", name=re.compile(rf"^{re.escape(name)}\b")).click()
        expect(page.locator("#flashes")).to_contain_text(f"Switched to “{name}”.")
    expect_current_workspace(page, name)
    expect(page.locator("#dashboard-workspace")).to_have_text(name)


def invite(page: Page, email: str, role: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Role").select_option(role)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#flashes")).to_contain_text(f"Invitation sent to {email} as {role}.")


def pending_row(page: Page, email: str):
    return page.locator("section[aria-labelledby=pending-heading] tbody tr").filter(has_text=email)


def mailed_link(outbox, email: str) -> str:
    """The path of the invitation link mailed to `email`, once the worker sent it."""
    for message in outbox.settle():
        if email in message["To"]:
            match = LINK.search(message.get_content())
            assert match, message.get_content()
            return match.group(1)
    raise AssertionError(f"no invitation mailed to {email}")


def join_from_the_mail(browser: Browser, live_server, outbox, email: str, name: str) -> Page:
    """In a browser of their own: open the link, sign up with the form there (the address
    is the invited one, fixed), land joined on the dashboard and switch to the team."""
    page = open_page(browser, live_server.url)
    page.goto(mailed_link(outbox, email))
    expect(page.get_by_role("heading", level=1, name=f"Join {WORKSPACE}")).to_be_visible()
    address = page.get_by_label("Email", exact=True)
    expect(address).to_have_value(email)
    expect(address).to_have_attribute("readonly", "")
    assert_no_axe_violations(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account and join").click()
    expect(page).to_have_url(re.compile(r"/projects/?$"))
    expect(page.locator("#flashes")).to_contain_text(f"You joined {WORKSPACE}")
    switch_to(page, WORKSPACE)
    expect(page.locator(".project-card").get_by_role("link", name=PROJECT)).to_be_visible()
    return page


def expect_error_page(page: Page, path: str, status: int, heading: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == status, (path, response and response.status)
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()


def test_a_team_works_on_one_project(page: Page, browser, live_server, worker, outbox):
    # A: sign up, a workspace of the team, a project in it.
    sign_up(page, live_server, name="Ann Owner", email="ann@example.com")
    workspace_id = create_workspace(page, WORKSPACE)
    create_project(page, PROJECT, "Posts for the launch.")
    expect(page).to_have_url(re.compile(rf"/projects/{ID}$"))
    project_url = page.url.removeprefix(live_server.url)
    expect_current_workspace(page, WORKSPACE)

    # A: members page → Invite people → invite B (editor) and R (reviewer).
    switcher(page).get_by_role("link", name="Members").click()
    members_url = f"/workspaces/{workspace_id}/members"
    expect(page).to_have_url(live_server.url + members_url)
    expect(page.get_by_role("heading", level=1, name=f"Members of {WORKSPACE}")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Invite people").click()
    expect(page).to_have_url(f"{live_server.url}/workspaces/{workspace_id}/invitations")
    expect(page.get_by_role("heading", level=1, name="Invitations")).to_be_visible()
    invite(page, "ben@example.com", "editor")
    invite(page, "rae@example.com", "reviewer")
    for email, role in (("ben@example.com", "editor"), ("rae@example.com", "reviewer")):
        expect(pending_row(page, email)).to_contain_text(role)
    expect(
        page.get_by_role("heading", name=re.compile(r"Pending invitations \(2 "))
    ).to_be_visible()
    assert_no_axe_violations(page)

    # B and R: from their mails, in browsers of their own.
    ben = join_from_the_mail(browser, live_server, outbox, "ben@example.com", "Ben Editor")
    rae = join_from_the_mail(browser, live_server, outbox, "rae@example.com", "Rae Reviewer")
    outsider = open_page(browser, live_server.url)
    try:
        # B writes a post.
        ben.locator(".project-card").get_by_role("link", name=PROJECT).click()
        expect(ben.get_by_role("heading", level=1, name=PROJECT)).to_be_visible()
        ben.get_by_role("button", name="New post").first.click()
        expect(ben.get_by_role("heading", level=1, name="New post")).to_be_visible()
        ben.get_by_label("Topic").fill(TOPIC)
        ben.get_by_role("button", name="Generate").click()
        # The job page, then the post (an offline draft may be done before the job page
        # is even looked at: only the post is waited for).
        expect(ben).to_have_url(re.compile(rf"/posts/{ID}$"), timeout=GENERATION_TIMEOUT_MS)
        expect(ben.locator(".prose h1")).to_be_visible()
        post_url = ben.url.removeprefix(live_server.url)
        post_id = post_url.rsplit("/", 1)[-1]
        project_id = project_url.rsplit("/", 1)[-1]

        # R reads it, is offered nothing to change, and gets 403 on the URLs.
        rae.locator(".project-card").get_by_role("link", name=PROJECT).click()
        expect(rae.get_by_role("heading", level=1, name=PROJECT)).to_be_visible()
        expect(rae.get_by_role("link", name=TOPIC)).to_be_visible()
        expect_no_changing_controls(rae)
        rae.get_by_role("link", name=TOPIC).click()
        expect(rae).to_have_url(live_server.url + post_url)
        expect(rae.locator(".prose h1")).to_be_visible()
        expect(rae.get_by_role("button", name="Download .md")).to_be_visible()
        expect_no_changing_controls(rae)
        expect_error_page(rae, f"/posts/{post_id}/delete", 403, "Not allowed")
        expect_error_page(rae, f"/projects/{project_id}/posts/new", 403, "Not allowed")
        rae.goto(post_url)
        expect(rae.locator(".prose h1")).to_be_visible()  # still there

        # An outsider sees none of it.
        sign_up(outsider, live_server, name="Otto Outsider", email="otto@example.com")
        expect(outsider.get_by_text("No projects yet")).to_be_visible()
        for path in (project_url, post_url, members_url):
            expect_error_page(outsider, path, 404, "Page not found")

        # A removes B while B looks at the project; B's next reload is a 404.
        ben.goto(project_url)
        expect(ben.get_by_role("heading", level=1, name=PROJECT)).to_be_visible()
        page.goto(members_url)
        members = page.locator("#member-list tbody tr")
        expect(members).to_have_count(3)
        expect(members.filter(has_text="rae@example.com")).to_contain_text("Reviewer")
        assert_no_axe_violations(page)
        assert_no_horizontal_overflow(page)
        members.filter(has_text="ben@example.com").get_by_role("button", name="Remove").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Remove Ben Editor")
        page.locator("main").get_by_role("button", name="Remove").click()
        expect(page.locator("#flashes")).to_contain_text("Ben Editor was removed")
        expect(members).to_have_count(2)
        expect(page.locator("#member-list")).not_to_contain_text("ben@example.com")

        response = ben.reload()
        assert response is not None and response.status == 404
        expect(ben.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
        expect_error_page(ben, post_url, 404, "Page not found")
    finally:
        for other in (ben, rae, outsider):
            other.context.close()


def expect_no_changing_controls(page: Page) -> None:
    """A reviewer's page offers no New post and nothing that deletes."""
    main = page.locator("main")
    expect(main.get_by_role("button", name="New post")).to_have_count(0)
    expect(main.get_by_role("link", name="New post")).to_have_count(0)
    expect(main.get_by_role("button", name=re.compile("Delete"))).to_have_count(0)
    expect(main.get_by_role("link", name=re.compile("Delete"))).to_have_count(0)
