"""The new-post form as a marketer meets it, through the Flask test client: the format
first (X thread and LinkedIn post are the blog-post workflow with that channel), length
only where it means something, every parsed source ticked, voices and quota that say who
can unlock more, and Regenerate's pre-filled form."""

from __future__ import annotations

import re

from webapp.extensions import db
from webapp.models import Job, Post
from webapp.services import plans

from ..conftest import wait_for
from ..factories import make_completed_post, make_parsed_source, make_project, make_user
from ..team_factories import make_team, make_team_project
from .test_posts_pages import submit


def form_page(client, project_id, query="") -> str:
    response = client.get(f"/projects/{project_id}/posts/new{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def ticked(page: str) -> list[str]:
    """The ids of the sources ticked on the form."""
    return re.findall(r'name="source_ids" value="([0-9a-f]+)"\s*checked', page)


def finished_post(app, job_id) -> dict:
    def done():
        with app.app_context():
            job = db.session.get(Job, job_id)
            return job.is_finished and job

    job = wait_for(done, 90)
    assert job.status == "completed", job.error_message
    with app.app_context():
        post = db.session.query(Post).filter_by(job_id=job_id).one()
        return {
            "workflow": post.workflow,
            "channel": post.channel,
            "target_length": post.target_length,
            "title": (post.content or {}).get("title"),
        }


def assert_no_upgrade_offered(page: str) -> None:
    """No link or button sells a plan: this install has no billing to sell one through."""
    assert not re.search(r'href="[^"]*(upgrade|billing|pricing|plans)', page, re.IGNORECASE)
    assert "Upgrade" not in page and "upgrade your" not in page.lower()


def test_the_format_comes_first_and_a_thread_takes_no_length(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    page = form_page(client, project.id)
    choices = re.findall(r'name="workflow" value="([a-z_:]+)"', page)
    assert choices[:4] == [
        "blog_post",
        "blog_post:twitter",
        "blog_post:linkedin",
        "blog_post:social",
    ]
    assert set(choices[4:]) == {"campaign_pack", "newsletter", "release_notes", "repurpose"}
    # The format is the form's first choice (before the topic, voice and length).
    assert page.index('name="workflow"') < page.index('name="topic"') < page.index('name="voice"')
    assert re.search(r'<fieldset class="length-choice" data-workflows="[^"]*"\s+aria', page)
    assert "Short · 800–1,200 words" in page

    # Without JavaScript, ?workflow= reloads the form for the thread: no length to choose.
    thread = form_page(client, project.id, "?workflow=blog_post:twitter")
    assert re.search(r'value="blog_post:twitter"\s+aria-describedby="[^"]+" checked', thread)
    assert re.search(
        r'<fieldset class="length-choice" data-workflows="[^"]*" hidden disabled', thread
    )
    assert f'href="/projects/{project.id}/posts/new?workflow=blog_post:linkedin"' in thread


def test_an_x_thread_from_the_list_is_a_blog_post_for_x(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user)
    # What choosing the entry sends (a length is ignored: the thread scales itself).
    chosen = submit(
        client,
        csrf,
        project.id,
        workflow="blog_post:twitter",
        target_length="long",
        topic="Thread about rain jackets",
    )
    assert chosen.status_code == 302
    made = [finished_post(app, chosen.headers["Location"].rsplit("/", 1)[1])]
    # What the form sent before the entry existed: the blog-post workflow and the channel.
    before = submit(
        client,
        csrf,
        project.id,
        workflow="blog_post",
        channel="twitter",
        target_length="medium",
        topic="Thread about rain boots",
    )
    assert before.status_code == 302
    made.append(finished_post(app, before.headers["Location"].rsplit("/", 1)[1]))
    for post in made:
        assert (post["workflow"], post["channel"], post["target_length"]) == (
            "blog_post",
            "twitter",
            "medium",
        )


def test_a_linkedin_post_from_the_list(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user)
    response = submit(client, csrf, project.id, workflow="blog_post:linkedin")
    post = finished_post(app, response.headers["Location"].rsplit("/", 1)[1])
    assert (post["workflow"], post["channel"]) == ("blog_post", "linkedin")


def test_every_parsed_source_starts_ticked_but_not_topic_lists(client, auth, app, csrf):
    user = auth.signed_in()
    project = make_project(app, user)
    notes = make_parsed_source(app, user, project, "Rain jackets keep you dry.", "notes.md")
    guide = make_parsed_source(app, user, project, "Layering for wet weather.", "guide.txt")
    topics = make_parsed_source(app, user, project, "topic\nRain", "ideas.csv")
    page = form_page(client, project.id)
    assert sorted(ticked(page)) == sorted([notes, guide])
    assert topics not in page  # a topic list is for bulk generation, not a reference

    # After an error the form keeps the person's choice.
    response = submit(client, csrf, project.id, topic="", source_ids=[guide])
    assert response.status_code == 400
    again = response.get_data(as_text=True)
    assert "Give the post a topic." in again
    assert ticked(again) == [guide]


def test_the_quota_line_says_what_is_left_and_when_it_resets(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    reset = plans.next_period_start()
    resets = f"resets {reset.day} {reset.strftime('%B')}"
    page = form_page(client, project.id)
    assert f"10 of 10 posts left this month · {resets}" in page
    with app.app_context():
        plans.add_posts_used(user.id, 3)
        db.session.commit()
    assert f"7 of 10 posts left this month · {resets}" in form_page(client, project.id)


def test_at_the_limit_the_owner_and_a_member_learn_who_can_raise_it(client, auth, app, csrf):
    olga = make_user(app, email="olga@example.com", name="Olga Owner")
    member = auth.signed_in(email="mia@example.com", name="Mia")
    team = make_team(app, olga, name="Marketing", editor=member)
    with app.app_context():
        plans.add_posts_used(olga.id, 10)
        db.session.commit()
    reset = plans.next_period_start()
    back = f"they come back on {reset.day} {reset.strftime('%B')}."

    project = make_team_project(app, member, team)
    page = form_page(client, project.id)
    assert f"All 10 posts of this month are used; {back}" in page
    assert "To raise the limit, ask Olga Owner, the workspace owner." in page
    # Voices above the Free plan say who can unlock them; nothing is for sale here.
    assert "The others come with the Starter plan: ask Olga Owner, the workspace owner" in page
    assert_no_upgrade_offered(page)

    client.post("/logout", data={"csrf_token": csrf(client.get("/projects"))})
    auth.login_page(email=olga.email)
    own = form_page(client, project.id)
    assert f"All 10 posts of this month are used; {back}" in own
    assert "the administrator of this Copydesk can move your workspace to a larger plan" in own
    assert "ask Olga Owner" not in own
    assert_no_upgrade_offered(own)


def post_to_regenerate(app, user, project, **fields) -> tuple[str, str, str]:
    """A completed post written from one of the project's two parsed sources:
    (post id, its source's id, the other source's id)."""
    kept = make_parsed_source(app, user, project, "Rain jackets keep you dry.", "jackets.md")
    other = make_parsed_source(app, user, project, "Umbrellas.", "umbrellas.md")
    post_id = make_completed_post(
        app,
        user,
        project,
        {"title": "Rain", "markdown": "Rain"},
        topic="Rain jackets for cyclists",
        source_ids=[kept],
        **fields,
    )
    return post_id, kept, other


def test_regenerate_fills_the_form_in_from_the_post(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    post_id, notes, other = post_to_regenerate(
        app,
        user,
        project,
        voice="casual",
        target_length="long",
        channel="linkedin",
        workflow="campaign_pack",
        custom_instructions="Mention the reflective strips.",
    )
    page = form_page(client, project.id, f"?from_post={post_id}")
    assert re.search(r'name="topic"[^>]*value="Rain jackets for cyclists"', page)
    # One post like this one: a campaign's LinkedIn post comes back as a LinkedIn post.
    assert re.search(r'value="blog_post:linkedin"\s+aria-describedby="[^"]+" checked', page)
    assert re.search(r'<option value="casual"\s+selected', page)
    assert re.search(r'value="long"\s+checked', page)
    assert "Mention the reflective strips.</textarea>" in page
    assert ticked(page) == [notes] and other not in ticked(page)


def test_regenerate_from_a_post_elsewhere_is_not_found(client, auth, app):
    stranger = make_user(app)
    theirs = make_project(app, stranger)
    foreign = make_completed_post(app, stranger, theirs, {"markdown": "x"}, topic="Theirs")
    user = auth.signed_in()
    project = make_project(app, user)
    mine_elsewhere = make_completed_post(
        app, user, make_project(app, user, name="Other"), {"markdown": "x"}, topic="Mine"
    )
    for post_id in (foreign, mine_elsewhere, "0" * 24):
        response = client.get(f"/projects/{project.id}/posts/new?from_post={post_id}")
        assert response.status_code == 404, post_id
