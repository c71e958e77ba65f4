"""One voice, as a person sees it in the browser, at desktop and phone width: an empty
new-post form asks for a topic (no "This field is required.") with the focus on it, the
password rules tick as you type, a taken address at sign-up offers to sign in, statuses
read as words, and times show in the reader's own time zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from webapp.models import Project

from ..factories import DEFAULT_PASSWORD, make_project, make_sources, make_user
from .conftest import (
    assert_no_axe_violations,
    assert_no_horizontal_overflow,
    open_page,
    sign_in,
    source_status,
    watch,
)

SIZES = [(1280, 900), (390, 844)]


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["desktop", "phone"])
def test_an_empty_new_post_form_asks_for_a_topic(page: Page, app, width, height):
    page.set_viewport_size({"width": width, "height": height})
    problems = watch(page)
    user = make_user(app, email="nia@example.com", name="Nia")
    project = make_project(app, user, name="Autumn")
    make_sources(app, user, project)
    sign_in(page, SimpleNamespace(email=user.email, password=DEFAULT_PASSWORD))
    page.goto(f"/projects/{project.id}")
    expect(source_status(page, "notes-0.txt")).to_have_text("Ready")
    expect(source_status(page, "notes-0.txt")).to_have_class(re.compile(r"\bstatus-parsed\b"))

    page.goto(f"/projects/{project.id}/posts/new")
    page.get_by_role("button", name="Generate", exact=True).click()
    topic = page.get_by_role("textbox", name="Topic")
    expect(page.locator("#topic-error")).to_have_text("Give the post a topic.")
    expect(page.get_by_text("This field is required.")).to_have_count(0)
    expect(topic).to_be_focused()
    expect(topic).to_have_attribute("aria-invalid", "true")
    expect(topic).to_have_attribute("aria-describedby", re.compile(r"\btopic-error\b"))
    assert_no_horizontal_overflow(page)
    assert_no_axe_violations(page)
    assert problems == []


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["desktop", "phone"])
def test_sign_up_ticks_the_password_rules_and_offers_to_sign_in(page: Page, app, width, height):
    page.set_viewport_size({"width": width, "height": height})
    problems = watch(page)
    make_user(app, email="taken@example.com")
    page.goto("/signup")
    rules = page.locator("[data-password-rules] li")
    expect(rules).to_have_count(5)
    expect(page.locator("[data-password-rules] li.met")).to_have_count(0)
    password = page.locator("#password")
    password.fill("lowercase")
    expect(page.locator("li.met")).to_have_text(
        ["At least 8 characters (done)", "A lowercase letter (done)"]
    )
    expect(page.locator("li.unmet")).to_have_count(3)
    password.fill("Lowercase1!")
    expect(page.locator("[data-password-rules] li.met")).to_have_count(5)
    assert_no_axe_violations(page)

    page.get_by_label("Your name").fill("Theo")
    page.get_by_label("Work email").fill("taken@example.com")
    page.get_by_role("button", name="Create account").click()
    email = page.get_by_label("Work email")
    expect(page.locator("#email-error")).to_contain_text(
        "There’s already an account for that address."
    )
    expect(email).to_be_focused()
    assert_no_horizontal_overflow(page)
    page.get_by_role("link", name="Sign in instead?").click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("taken@example.com")
    # the form comes back 400 with its messages, which Chromium logs
    assert [p for p in problems if "status of 400" not in p] == []


def test_a_weak_password_is_named_without_javascript(browser, live_server, app, db):
    page = open_page(browser, live_server.url, java_script_enabled=False)
    page.goto("/signup")
    page.get_by_label("Your name").fill("Theo")
    page.get_by_label("Work email").fill("theo@example.com")
    page.locator("#password").fill("lowercase1")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#password-error")).to_have_text(
        "Password must contain an uppercase letter, must contain a special character."
    )
    expect(page.locator("li.unmet")).to_have_text(
        ["An uppercase letter (missing)", "A special character, such as ! or # (missing)"]
    )
    expect(page.locator("#password")).to_be_focused()
    page.context.close()


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["desktop", "phone"])
def test_times_show_in_the_readers_time_zone(browser, live_server, app, db, width, height):
    user = make_user(app, email="ny@example.com", name="Nova")
    recent = make_project(app, user, name="Recent")
    old = make_project(app, user, name="Old")
    created = datetime(2026, 3, 2, 3, 30)  # UTC: 10:30 PM the day before in New York
    with app.app_context():
        db.session.get(Project, old.id).created_at = created
        db.session.commit()
    page = open_page(browser, live_server.url, timezone_id="America/New_York", locale="en-US")
    page.set_viewport_size({"width": width, "height": height})
    problems = watch(page)
    sign_in(page, SimpleNamespace(email=user.email, password=DEFAULT_PASSWORD))

    old_card = page.locator("time").filter(has_text=re.compile("2026")).first
    expect(old_card).to_have_text("Mar 1, 2026")  # the New York day, not the UTC one
    expect(old_card).to_have_attribute("title", "Mar 1, 2026, 10:30 PM")

    page.goto(f"/projects/{recent.id}")
    when = page.locator(".muted time").first
    expect(when).to_have_text(re.compile(r"^(now|\d+ minutes? ago)$"))
    local = datetime.now(UTC).astimezone(ZoneInfo("America/New_York"))
    title = when.get_attribute("title") or ""
    hour = local.strftime("%-I:")
    assert hour in title and "UTC" not in title, title
    assert_no_horizontal_overflow(page)
    assert problems == []
    page.context.close()
