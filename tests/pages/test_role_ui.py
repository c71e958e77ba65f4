"""Role-aware pages: a member is offered only what their role allows. A viewer or reviewer
reads the project, its sources, posts, links and jobs, without the controls that would
answer 403 (New post, Upload, Import page, Edit details, Rename, Delete, Remove, Cancel);
an editor sees them. The team world is tests/test_roles.py's."""

from __future__ import annotations

import re

import pytest

from webapp.extensions import db
from webapp.models import LinkOpportunity

from ..test_roles import World

pytestmark = pytest.mark.usefixtures("db")

# What each page offers an editor, as the member reads it.
EDIT_CONTROLS = {
    "project": [
        "New post",
        "Delete project",
        "Edit details",
        ">Upload<",
        "Import page",
        "Add link opportunity",
        ">Remove<",
    ],
    "post": ["Delete post", "from_post="],
    "source": [">Rename<", "Delete source"],
    "job": [">Cancel<"],
    "posts": ["New post"],
    "sources": [">Upload<", "Import page"],
    "links": ["Add link opportunity", ">Remove<"],
}
READ_MARKS = {
    "project": ["<h1>Launch</h1>", "topics.csv", "Spring launch", "example.com/colours"],
    "post": ["Three new colours, one price.", "Download .md"],
    "source": ["<h1>topics.csv</h1>", "Download the usable rows as CSV"],
    "job": ["job-progress-bar"],
    "posts": ["Spring launch"],
    "sources": ["topics.csv"],
    "links": ["example.com/colours"],
}


@pytest.fixture
def world(app) -> World:
    world = World(app)
    world.ids["queued_job_id"] = world.fresh("job_id")  # a job that can still be cancelled
    return world


def url_of(world: World, page: str) -> str:
    ids = world.ids
    return {
        "project": f"/projects/{ids['project_id']}",
        "post": f"/posts/{ids['post_id']}",
        "source": f"/projects/{ids['project_id']}/sources/{ids['source_id']}",
        "job": f"/jobs/{ids['queued_job_id']}",
        "posts": f"/projects/{ids['project_id']}/posts",
        "sources": f"/projects/{ids['project_id']}/sources",
        "links": f"/projects/{ids['project_id']}/links",
    }[page]


def page_text(world: World, role: str, page: str) -> str:
    response = world.page_client(role).get(url_of(world, page))
    assert response.status_code == 200, (role, page, response.status_code)
    return response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_readers_see_everything_but_no_control_that_would_refuse_them(world, role):
    for page in EDIT_CONTROLS:
        text = page_text(world, role, page)
        for mark in READ_MARKS[page]:
            assert mark in text, f"{role} does not see {mark!r} on the {page} page"
        for control in EDIT_CONTROLS[page]:
            assert control not in text, f"{role} is offered {control!r} on the {page} page"


@pytest.mark.parametrize("role", ["owner", "admin", "editor"])
def test_editors_see_the_controls(world, role):
    for page in EDIT_CONTROLS:
        text = page_text(world, role, page)
        for control in EDIT_CONTROLS[page]:
            assert control in text, f"{role} is not offered {control!r} on the {page} page"


def targets(text: str) -> tuple[set[str], set[str]]:
    """The site paths a page links to (href, hx-get) and posts to (form action, hx-post)."""
    gets = set(re.findall(r'(?:href|hx-get)="(/[^"]*)"', text))
    posts = set(re.findall(r'(?:action|hx-post)="(/[^"]*)"', text))
    return gets - {u for u in gets if u.startswith("/static/")}, posts


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_nothing_a_reader_is_offered_answers_403(world, role):
    """Every link on the readers' pages opens for them, and the only form they are given
    is signing out."""
    client = world.page_client(role)
    for page in EDIT_CONTROLS:
        gets, posts = targets(page_text(world, role, page))
        allowed = {"/logout", "/workspaces/switch"}  # the header's own forms
        if role == "reviewer":  # reviewers comment on drafts (the review issue)
            allowed |= {f"/posts/{world.ids['post_id']}/comments"}
        assert posts <= allowed, f"{role} is given forms to {posts} on the {page} page"
        for url in sorted(gets):
            status = client.get(url.replace("&amp;", "&")).status_code
            assert status not in (403, 404), f"{url} on the {page} page answers {status}"


def test_a_project_page_asks_for_the_role_once_whatever_the_rows(world, app, sql_statements):
    """The role is looked up once per request and workspace, not once per row (the header's
    workspace switcher reads the caller's workspaces and current role on its own)."""
    client = world.page_client("viewer")
    url = url_of(world, "project")

    def role_queries() -> int:
        with sql_statements() as executed:
            assert client.get(url).status_code == 200
        return sum("memberships" in s and "projects" not in s for s in executed)

    once = role_queries()
    with app.app_context():
        db.session.add_all(
            LinkOpportunity(
                project_id=world.ids["project_id"],
                user_id=world.owner_id,
                target_url=f"https://example.com/page-{i}",
                keywords=[f"word{i}"],
            )
            for i in range(10)
        )
        db.session.commit()
    assert role_queries() == once <= 3
