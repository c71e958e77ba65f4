"""The outline checkpoint on the job page, through the Flask test client as a browser
without JavaScript sends it (and once as htmx does): a generation asked with "Review the
outline" stops at its outline; the editor renames, reorders, adds and removes sections, a
stale version shows the current outline, and "Write the post" resumes the job, whose post
follows the edited outline. The real worker writes with the offline writer."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from webapp.extensions import db
from webapp.models import Job, Post

from ..conftest import wait_for
from ..factories import add_member, make_project, make_team_project, make_user, make_workspace

HTMX = {"HX-Request": "true", "HX-Target": "checkpoint"}
TOPIC = "Composting in a small garden"


def paused_job(client, csrf, project_id, **fields) -> str:
    """The URL of the job page of a generation that waits at its outline."""
    token = csrf(client.get(f"/projects/{project_id}/posts/new"))
    data = {
        "workflow": "blog_post",
        "topic": TOPIC,
        "voice": "casual",
        "target_length": "short",
        "channel": "blog",
        "review_outline": "y",
        "csrf_token": token,
        **fields,
    }
    response = client.post(f"/projects/{project_id}/posts/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    job_url = response.headers["Location"]
    wait_for(lambda: 'id="outline-form"' in client.get(job_url).get_data(as_text=True), 60)
    return job_url


def form_fields(html: str) -> dict:
    """The outline editor's fields, as a browser sends them (without a button)."""
    form = BeautifulSoup(html, "html.parser").find("form", id="outline-form")
    assert form is not None, "no outline editor on the page"
    fields = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
    for area in form.find_all("textarea"):
        fields[area["name"]] = area.get_text().removeprefix("\r\n").removeprefix("\n")
    return fields


def headings(html: str) -> list[str]:
    fields = form_fields(html)
    count = len([name for name in fields if re.fullmatch(r"sections-\d+-heading", name)])
    return [fields[f"sections-{i}-heading"] for i in range(count)]


def press(client, job_url, html: str, action: str, headers=None, **changes):
    """Send the editor as the page shows it, with `changes`, by the button `action`."""
    data = {**form_fields(html), **changes, "action": action}
    return client.post(job_url + "/outline", data=data, headers=headers or {})


@pytest.fixture
def paused(client, auth, app, csrf, worker) -> tuple[str, str]:
    """A signed-in user's generation waiting at its outline: its URL and its page."""
    user = auth.signed_in()
    job_url = paused_job(client, csrf, make_project(app, user).id)
    return job_url, client.get(job_url).get_data(as_text=True)


def test_the_outline_is_edited_without_javascript_and_the_post_follows_it(client, app, paused):
    job_url, page = paused
    assert "Review the outline" in page and "Waiting for you" in page
    assert "hx-trigger" not in page  # a paused job is not polled
    planned = headings(page)
    assert len(planned) >= 3
    version = int(form_fields(page)["item_version"])

    # Rename the first section and save: a new version.
    response = press(client, job_url, page, "save", **{"sections-0-heading": "Why compost at all"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Outline saved." in page
    assert headings(page) == ["Why compost at all", *planned[1:]]
    assert int(form_fields(page)["item_version"]) == version + 1

    # Move the last section up, remove the second, add one: the page shows the outline so
    # far, not saved yet.
    last = len(planned) - 1
    page = press(client, job_url, page, f"up-{last}").get_data(as_text=True)
    expected = ["Why compost at all", *planned[1 : last - 1], planned[last], planned[last - 1]]
    assert headings(page) == expected
    assert "Not saved yet" in page
    assert re.search(rf'value="up-{last - 1}"[^>]*autofocus', page)
    page = press(client, job_url, page, "remove-1").get_data(as_text=True)
    expected = [expected[0], *expected[2:]]
    assert headings(page) == expected
    page = press(client, job_url, page, "add").get_data(as_text=True)
    assert headings(page) == [*expected, ""]

    # An empty heading is refused next to its field.
    response = press(client, job_url, page, "save")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    new = len(expected)
    assert re.search(
        rf'id="sections-{new}-heading-error" class="field-error">Section {new + 1} needs a heading',
        page,
    )
    assert re.search(rf'aria-invalid="true"[^>]*id="sections-{new}-heading"', page)

    # "Write the post" saves the outline and resumes the job, which polls again.
    response = press(
        client,
        job_url,
        page,
        "confirm",
        **{f"sections-{new}-heading": "Troubleshooting a smelly heap"},
    )
    assert response.status_code == 302 and response.headers["Location"] == job_url
    final = [*expected, "Troubleshooting a smelly heap"]

    def finished():
        with app.app_context():
            return db.session.get(Job, job_url.rsplit("/", 1)[1]).status == "completed"

    wait_for(finished, 60)
    with app.app_context():
        post = db.session.query(Post).filter_by(job_id=job_url.rsplit("/", 1)[1]).one()
        post_url = f"/posts/{post.id}"
    post_page = BeautifulSoup(client.get(post_url).get_data(as_text=True), "html.parser")
    assert [h.get_text() for h in post_page.select(".prose h2")][: len(final)] == final


def test_a_stale_version_shows_the_current_outline(client, paused):
    job_url, first_tab = paused
    planned = headings(first_tab)
    other_tab = press(client, job_url, first_tab, "save", **{"sections-1-heading": "Theirs"})
    assert other_tab.status_code == 200

    response = press(client, job_url, first_tab, "save", **{"sections-1-heading": "Mine"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "The outline was changed elsewhere" in page and "your changes were not saved" in page
    assert headings(page) == [planned[0], "Theirs", *planned[2:]]
    # The form now carries the current version: saving it again works.
    response = press(client, job_url, page, "save", **{"sections-1-heading": "Mine"})
    assert response.status_code == 200 and "Outline saved." in response.get_data(as_text=True)


def test_htmx_swaps_the_editor_and_confirm_moves_to_the_polling_page(client, paused):
    job_url, page = paused
    headers = {**HTMX, "X-CSRFToken": form_fields(page)["csrf_token"]}

    response = press(client, job_url, page, "remove-0", headers=headers)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and fragment.lstrip().startswith('<section id="checkpoint"')
    assert headings(fragment) == headings(page)[1:]

    # No section left: refused with a message at the list (answered 200, so htmx swaps it).
    fields = {k: v for k, v in form_fields(page).items() if not k.startswith("sections-")}
    response = client.post(job_url + "/outline", data={**fields, "action": "save"}, headers=headers)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(
        r'id="sections-error" class="field-error">The outline needs at least one', fragment
    )

    response = press(client, job_url, page, "confirm", headers=headers)
    assert response.status_code == 204 and response.headers["HX-Location"] == job_url
    resumed = client.get(job_url).get_data(as_text=True)
    assert 'id="outline-form"' not in resumed
    assert 'hx-trigger="every 1s"' in resumed or "status-completed" in resumed


def test_a_viewer_reads_the_outline_and_cannot_change_it(client, auth, app, csrf, worker):
    owner = auth.signed_in(email="owner@example.com")
    team = make_workspace(app, owner)
    project = make_team_project(app, team, owner)
    job_url = paused_job(client, csrf, project.id)
    planned = headings(client.get(job_url).get_data(as_text=True))

    viewer = make_user(app, email="viewer@example.com")
    add_member(app, team, viewer, "viewer")
    client.post("/logout", data={"csrf_token": csrf(client.get("/settings/profile"))})
    auth.login_page(email="viewer@example.com")
    page = client.get(job_url).get_data(as_text=True)
    assert "Review the outline" in page and 'id="outline-form"' not in page
    read = BeautifulSoup(page, "html.parser").select(".outline-read > li > strong")
    assert [strong.get_text() for strong in read] == planned
    token = csrf(client.get("/settings/profile"))
    response = client.post(job_url + "/outline", data={"csrf_token": token, "action": "confirm"})
    assert response.status_code == 403


def test_confirming_while_the_plan_runs_its_jobs_keeps_the_edit_and_says_why(client, app, paused):
    job_url, page = paused
    with app.app_context():
        paused_job_row = db.session.get(Job, job_url.rsplit("/", 1)[1])
        # The free plan runs one job at a time; this one is running.
        running = Job(
            user_id=paused_job_row.user_id,
            project_id=paused_job_row.project_id,
            job_type="content_generation",
            status="processing",
        )
        db.session.add(running)
        db.session.commit()
        running_id = running.id

    response = press(client, job_url, page, "confirm", **{"sections-0-heading": "Start here"})
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert re.search(r'class="flash flash-error" role="alert">Your plan runs 1 generation', page)
    assert headings(page)[0] == "Start here"  # saved: the next click goes from here

    with app.app_context():
        db.session.get(Job, running_id).status = "cancelled"
        db.session.commit()
    response = press(client, job_url, page, "confirm")
    assert response.status_code == 302


def test_an_outline_of_more_than_twenty_sections_is_refused_at_the_list(client, paused):
    job_url, page = paused
    fields = {k: v for k, v in form_fields(page).items() if not k.startswith("sections-")}
    twenty = {f"sections-{i}-heading": f"Part {i + 1}" for i in range(20)}
    response = client.post(job_url + "/outline", data={**fields, **twenty, "action": "add"})
    page = response.get_data(as_text=True)
    assert len(headings(page)) == 20
    assert re.search(r'id="sections-error" class="field-error">An outline has at most 20', page)

    extra = {"sections-20-heading": "Part 21"}
    response = client.post(
        job_url + "/outline", data={**fields, **twenty, **extra, "action": "save"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'id="sections-error" class="field-error">An outline has at most 20', page)
    assert len(headings(page)) == 21  # what was sent, to shorten
