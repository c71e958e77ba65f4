"""End-to-end browser tests: sign-up, the Projects dashboard (htmx), keyboard use, API keys."""

from __future__ import annotations

import re

import requests
from playwright.sync_api import Page, expect

PASSWORD = "SecurePassword123!"


def sign_up(page: Page, live_server, *, name="Ada Lovelace", email="ada@example.com") -> None:
    """From the home page through the sign-up form to the Projects dashboard."""
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Create your account")).to_be_visible()
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/projects/?$"))
    expect(page.get_by_role("heading", level=1, name="Projects")).to_be_visible()


def open_new_project(page: Page) -> None:
    """From the dashboard: "New project" opens its dialog (its page without JavaScript),
    focus on the name."""
    page.get_by_role("button", name="New project").click()
    expect(page.get_by_role("heading", name="New project")).to_be_visible()
    expect(page.get_by_label("Project name")).to_be_focused()


def create_project(page: Page, name: str, description: str) -> None:
    open_new_project(page)
    page.get_by_label("Project name").fill(name)
    page.get_by_label("Description").fill(description)
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    assert_full_page(page, name)


def assert_full_page(page: Page, title: str) -> None:
    """After an htmx navigation the whole page is there, not just a fragment in <body>."""
    expect(
        page.get_by_role("banner"),
        "site header/nav missing: the htmx navigation swapped a bare fragment into <body>",
    ).to_be_visible()
    expect(page).to_have_title(f"{title} · Copydesk")


def active_id(page: Page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def tab_until(page: Page, predicate_js: str, max_presses: int = 20) -> list[str]:
    """Press Tab until `predicate_js` (evaluated with `el` = the focused element) holds.

    Returns a description of each element focused on the way, for failure messages.
    """
    seen: list[str] = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                "(() => { const el = document.activeElement;"
                " return `${el.tagName.toLowerCase()}#${el.id}:`"
                " + (el.innerText || el.value || '').trim().slice(0, 30); })()"
            )
        )
        if page.evaluate(f"(el => Boolean({predicate_js}))(document.activeElement)"):
            return seen
    raise AssertionError(f"focus never satisfied {predicate_js!r}; focused in turn: {seen}")


def assert_focus_visible(page: Page, element_id: str) -> None:
    """The focused element is `element_id`, matches :focus-visible and has a visible indicator."""
    assert active_id(page) == element_id
    state = page.evaluate("""() => {
        const el = document.activeElement, style = getComputedStyle(el);
        return {focusVisible: el.matches(':focus-visible'), outlineStyle: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth) || 0, boxShadow: style.boxShadow};
    }""")
    assert state["focusVisible"], f"#{element_id} is focused but not :focus-visible: {state}"
    has_outline = state["outlineStyle"] != "none" and state["outlineWidth"] > 0
    has_ring = state["boxShadow"] not in ("", "none")
    assert has_outline or has_ring, f"#{element_id} has no visible focus indicator: {state}"


def test_signup_flow(page: Page, live_server, screenshot):
    sign_up(page, live_server)
    expect(page.get_by_text("No projects yet")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Welcome to Copydesk")).to_be_visible()

    create_project(page, "Tech Blog Q4", "Quarterly posts for the engineering blog.")
    expect(page).to_have_url(re.compile(r"/projects/[^/]+$"))
    expect(page.locator("#project-details")).to_contain_text(
        "Quarterly posts for the engineering blog."
    )

    page.get_by_role("banner").get_by_role("link", name="Projects", exact=True).click()
    expect(page).to_have_url(re.compile(r"/projects/?$"))
    card = page.locator(".project-card").filter(has_text="Tech Blog Q4")
    expect(card).to_have_count(1)
    expect(card.get_by_role("link", name="Tech Blog Q4")).to_be_visible()
    expect(card).to_contain_text("Quarterly posts for the engineering blog.")
    expect(page.get_by_text("No projects yet")).to_have_count(0)
    expect(page.get_by_text("1 project", exact=True)).to_be_visible()
    screenshot("dashboard")


def test_keyboard_only_signup_and_project(page: Page, live_server, screenshot):
    page.goto(live_server.url + "/")

    # The first Tab reaches the skip link.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()

    tab_until(page, "el.textContent.trim() === 'Sign up'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Create your account")).to_be_visible()

    # "Your name" has autofocus; then the form's natural tab order.
    expect(page.get_by_label("Your name")).to_be_focused()
    assert active_id(page) == "name"
    page.keyboard.type("Grace Hopper")
    page.keyboard.press("Tab")
    assert_focus_visible(page, "email")
    page.keyboard.type("grace@example.com")
    page.keyboard.press("Tab")
    assert_focus_visible(page, "password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1, name="Projects")).to_be_visible()
    expect(page.get_by_text("No projects yet")).to_be_visible()

    tab_until(page, "el.textContent.trim() === 'New project'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="New project")).to_be_visible()
    assert_focus_visible(page, "name")
    page.keyboard.type("Newsletter")
    page.keyboard.press("Tab")
    assert_focus_visible(page, "description")
    page.keyboard.type("Monthly newsletter for customers.")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.outerHTML")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Create project", focused
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1, name="Newsletter")).to_be_visible()
    assert_full_page(page, "Newsletter")
    expect(page.locator("#project-details")).to_contain_text("Monthly newsletter for customers.")
    screenshot("project")


def test_project_form_validation_error_keeps_input(page: Page, live_server, screenshot):
    sign_up(page, live_server, name="Alan Turing", email="alan@example.com")

    open_new_project(page)
    page.get_by_label("Description").fill("Notes on computable numbers.")
    page.get_by_role("button", name="Create project").click()

    # htmx swapped the form fragment in place: same page, error next to the name field.
    error = page.locator("#name-error")
    expect(error).to_be_visible()
    expect(error).to_have_text(re.compile(r"\S"))
    expect(error).to_have_class(re.compile(r"\bfield-error\b"))
    name_input = page.get_by_label("Project name")
    expect(name_input).to_have_attribute("aria-invalid", "true")
    expect(name_input).to_have_attribute("aria-describedby", re.compile(r"\bname-error\b"))
    # Keyboard and screen-reader users land on the field with the error.
    expect(name_input).to_be_focused()
    # the error sits right after the field in the form
    assert page.evaluate("document.getElementById('name').nextElementSibling.id") == "name-error"
    expect(page.get_by_label("Description")).to_have_value("Notes on computable numbers.")
    expect(page).to_have_url(re.compile(r"/projects/?$"))
    expect(page.locator("form#create-project")).to_have_count(1)
    expect(page.get_by_text("No projects yet")).to_be_visible()
    screenshot("validation-error")

    # Fixing the name then succeeds, with the description still there.
    name_input.fill("Computability")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", level=1, name="Computability")).to_be_visible()
    assert_full_page(page, "Computability")
    expect(page.locator("#project-details")).to_contain_text("Notes on computable numbers.")


def test_api_key_create_use_and_revoke(page: Page, live_server, screenshot):
    sign_up(page, live_server, name="Katherine Johnson", email="katherine@example.com")
    create_project(page, "Orbital Mechanics", "Trajectory explainers.")

    page.get_by_role("link", name="Settings", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Settings")).to_be_visible()
    page.get_by_role("navigation", name="Settings sections").get_by_role(
        "link", name="API keys"
    ).click()
    expect(page.get_by_role("heading", level=2, name="API keys")).to_be_visible()
    expect(page.get_by_text("No API keys yet")).to_be_visible()

    page.get_by_label("Key name").fill("CLI")
    page.get_by_role("button", name="Create key").click()

    secret_input = page.locator("#new-api-key")
    expect(secret_input).to_be_visible()
    expect(secret_input).to_have_value(re.compile(r"^sk_live_\S+$"))
    expect(page.get_by_role("row").filter(has_text="CLI")).to_have_count(1)
    secret = secret_input.input_value()
    screenshot("api-key-created")

    api_url = live_server.url + "/api/v1/projects"
    response = requests.get(api_url, headers={"X-API-Key": secret}, timeout=10)
    assert response.status_code == 200, response.text
    names = [project["name"] for project in response.json()["projects"]]
    assert names == ["Orbital Mechanics"]

    # Revoke through the htmx link; accept the hx-confirm dialog.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Revoke CLI").click()
    expect(page.get_by_text("API key “CLI” revoked")).to_be_visible()
    assert_full_page(page, "API keys")
    expect(page.get_by_text("No API keys yet")).to_be_visible()
    expect(page.locator("#new-api-key")).to_have_count(0)

    response = requests.get(api_url, headers={"X-API-Key": secret}, timeout=10)
    assert response.status_code == 401, response.text
