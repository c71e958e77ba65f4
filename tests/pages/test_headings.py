"""One `h1` per page: every page route of tests/test_roles.py (as the workspace's owner)
and every page outside a workspace (signed in, and signed out for the account pages)."""

from __future__ import annotations

import re

import pytest

from ..factories import make_user
from ..test_roles import NOT_WORKSPACE_SCOPED, ROUTES, World, url_for_row
from ..test_roles import world as world

pytestmark = pytest.mark.usefixtures("db")

PAGE_ROWS = [
    row
    for row in ROUTES
    if row.method == "GET" and not row.is_api and not re.search(r"\.(md|csv|zip|<fmt>)", row.rule)
]
SIGNED_IN_PAGES = [
    "/projects",
    "/workspaces/new",
    "/settings/profile",
    "/settings/notifications",
    "/settings/password",
    "/settings/api-keys",
    "/settings/sessions",
    "/settings/sign-out-everywhere",
    "/settings/delete-account",
    "/api/docs",
]
SIGNED_OUT_PAGES = [
    "/",
    "/login",
    "/signup",
    "/forgot-password",
    "/forgot-password/sent",
    "/reset-password/not-a-token",
    "/verify-email/not-a-token",
]


def headings(html: str) -> list[str]:
    """The page's h1 elements (a <template>'s inert content, such as the rich-text copy of
    a post, is not part of the page)."""
    html = re.sub(r"<template\b.*?</template>", "", html, flags=re.S)
    return re.findall(r"<h1\b[^>]*>(.*?)</h1>", html, flags=re.S)


def assert_one_h1(response, url: str, ok=(200,)) -> None:
    assert response.status_code in ok, f"{url}: {response.status_code}"
    found = headings(response.get_data(as_text=True))
    assert len(found) == 1, f"{url}: {len(found)} h1 {found}"


def test_the_tables_name_pages_that_exist(app):
    endpoints = {rule.rule for rule in app.url_map.iter_rules()}
    assert {row.rule for row in PAGE_ROWS} <= endpoints
    assert "auth.login_page" in NOT_WORKSPACE_SCOPED


@pytest.mark.parametrize("row", PAGE_ROWS, ids=lambda row: row.rule)
def test_every_workspace_page_has_one_h1(world: World, row):
    url = url_for_row(row, world, "owner")
    assert_one_h1(world.page_client("owner").get(url, follow_redirects=True), url)


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_every_account_page_has_one_h1(client, auth, url):
    auth.signed_in()
    assert_one_h1(client.get(url), url)


@pytest.mark.parametrize("url", SIGNED_OUT_PAGES)
def test_every_signed_out_page_has_one_h1(client, app, url):
    make_user(app, email="someone@example.com")
    response = client.get(url)
    if response.status_code in (301, 302):  # the landing page sends visitors to sign in
        response = client.get(response.headers["Location"])
    assert_one_h1(response, url, ok=(200, 400))


def test_error_pages_have_one_h1(client, auth):
    auth.signed_in()
    missing = client.get("/projects/does-not-exist")
    assert missing.status_code == 404
    assert len(headings(missing.get_data(as_text=True))) == 1
