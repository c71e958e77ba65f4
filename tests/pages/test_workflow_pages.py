"""The generation form's workflows through the Flask test client: the catalog's workflows
to choose from with their slots, a campaign pack queued from the form, and the service's
slot errors shown next to their fields."""

from __future__ import annotations

import re

from webapp.extensions import db
from webapp.models import Job, Post

from ..conftest import wait_for
from ..factories import make_completed_post, make_project
from .test_posts_pages import submit

HTMX = {"HX-Request": "true", "HX-Target": "generate-form"}


def new_post_page(client, project_id, workflow=None) -> str:
    query = f"?workflow={workflow}" if workflow else ""
    response = client.get(f"/projects/{project_id}/posts/new{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def shown_fieldset(page: str, workflow: str) -> str:
    """The slots fieldset of `workflow`, which must be shown (not hidden, not disabled)."""
    assert f'<fieldset id="slots-{workflow}"' in page, f"no slots of {workflow}"
    part = page.split(f'<fieldset id="slots-{workflow}"', 1)[1]
    part = part.split('<fieldset id="slots-')[0].split('<label for="custom_instructions"')[0]
    opening = part.split(">", 1)[0]
    assert "hidden" not in opening and "disabled" not in opening, opening
    return part


def test_the_form_lists_the_workflows_with_their_descriptions(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user, name="Shop")
    page = new_post_page(client, project.id)
    for workflow, name in (
        ("blog_post", "Blog post"),
        ("campaign_pack", "Campaign pack"),
        ("newsletter", "Newsletter"),
        ("release_notes", "Release notes"),
        ("repurpose", "Repurpose a post"),
    ):
        assert re.search(
            rf'<input type="radio" id="workflow-{workflow}" name="workflow" value="{workflow}"'
            rf"[^>]*>\s*{name}</label>",
            page,
        ), workflow
        assert f'id="workflow-{workflow}-help"' in page
    assert re.search(
        r'value="blog_post"\s+aria-describedby="workflow-blog_post-help" checked', page
    )
    assert "One brief becomes a blog post, an X thread, a LinkedIn post and a newsletter" in page
    # A blog post's short formats are entries of the same list: the blog-post workflow
    # with that channel.
    for value, name in (
        ("blog_post:twitter", "X thread"),
        ("blog_post:linkedin", "LinkedIn post"),
        ("blog_post:social", "Social post"),
    ):
        assert re.search(rf'name="workflow" value="{value}"[^>]*>\s*{name}</label>', page)
    # A blog post: the length and the outline review; no other workflow's slots are sent.
    assert re.search(r'<fieldset class="length-choice" data-workflows="blog_post [^"]*"\s', page)
    assert "Review the outline before writing" in page
    assert re.search(r'<fieldset id="slots-release_notes"[^>]*hidden disabled>', page)
    # Without JavaScript, a link per workflow reloads the form for it.
    assert f'href="/projects/{project.id}/posts/new?workflow=repurpose"' in page


def test_each_workflow_shows_its_slots(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    make_completed_post(
        app,
        user,
        project,
        {"title": "Rain jackets", "markdown": "# Rain"},
        topic="Rain jackets for cyclists",
    )

    campaign = new_post_page(client, project.id, "campaign_pack")
    assert re.search(r'value="campaign_pack"\s+aria-describedby="[^"]+" checked', campaign)
    assert not re.search(r'<fieldset class="length-choice"[^>]*hidden disabled', campaign)
    assert "Uses four posts of the monthly quota." in campaign

    release = shown_fieldset(new_post_page(client, project.id, "release_notes"), "release_notes")
    assert '<label for="release_notes-changes">Changelog or pull-request text (optional)' in release
    assert re.search(
        r"<textarea [^>]*id=\"release_notes-changes\" name=\"release_notes-changes\"", release
    )
    assert re.search(
        r'<input [^>]*id="release_notes-version" name="release_notes-version"', release
    )

    repurpose_page = new_post_page(client, project.id, "repurpose")
    repurpose = shown_fieldset(repurpose_page, "repurpose")
    assert re.search(r"<select [^>]*id=\"repurpose-post_id\" name=\"repurpose-post_id\"", repurpose)
    assert re.search(
        r'<option value="[0-9a-f]{24}">Rain jackets for cyclists · Blog post', repurpose
    )
    for channel, label in (("twitter", "X / Twitter thread"), ("linkedin", "LinkedIn post")):
        assert re.search(
            rf'<input type="checkbox" name="repurpose-channels" value="{channel}" > {label}',
            repurpose,
        )
    # Repurposing has no outline to review.
    assert re.search(
        r'data-workflows="[a-z_: ]+" hidden disabled>\s*<label for="review_outline"', repurpose_page
    )

    newsletter = shown_fieldset(new_post_page(client, project.id, "newsletter"), "newsletter")
    assert 'name="newsletter-audience"' in newsletter


def test_a_campaign_pack_from_the_form_writes_four_posts(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user)
    # The format is sent along (as by a browser without JavaScript): it is for blog posts.
    response = submit(client, csrf, project.id, workflow="campaign_pack")
    assert response.status_code == 302
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        posts = db.session.query(Post).filter_by(job_id=job_id).order_by(Post.position).all()
        assert [post.channel for post in posts] == ["blog", "twitter", "linkedin", "email"]
        assert {post.workflow for post in posts} == {"campaign_pack"}

    def finished():
        with app.app_context():
            return db.session.get(Job, job_id).is_finished and db.session.get(Job, job_id)

    job = wait_for(finished, 90)
    assert job.status == "completed" and len(job.result["post_ids"]) == 4
    # The finished job's page lists the four posts (the htmx poll does not move to one).
    page = client.get(f"/jobs/{job_id}", headers={"HX-Request": "true"})
    assert "HX-Redirect" not in page.headers
    html = page.get_data(as_text=True)
    assert "Done: 4 posts written." in html
    for post_id, label in zip(
        job.result["post_ids"],
        ["Blog post", "X / Twitter thread", "LinkedIn post", "Email newsletter"],
        strict=True,
    ):
        assert f'href="/posts/{post_id}">{label}</a>' in html


def test_slot_errors_show_next_to_their_fields(client, auth, app, csrf):
    user = auth.signed_in()
    project = make_project(app, user)
    response = submit(
        client,
        csrf,
        project.id,
        workflow="repurpose",
        topic="",
        **{"repurpose-channels": "twitter"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    fieldset = shown_fieldset(page, "repurpose")
    assert re.search(r'id="repurpose-post_id-error" class="field-error">[^<]*post_id', fieldset)
    assert re.search(
        r"<select aria-describedby=\"[^\"]*repurpose-post_id-error\" aria-invalid=\"true\"",
        fieldset,
    )
    assert 'value="twitter" checked' in fieldset  # what was ticked stays ticked

    response = submit(client, csrf, project.id, workflow="press_release")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(
        r'id="workflow-error" class="field-error">Unknown workflow [^<]*blog_post, campaign_pack',
        page,
    )
    with app.app_context():
        assert db.session.query(Post).count() == 0


def test_htmx_answers_the_form_with_its_errors(client, auth, app, csrf):
    user = auth.signed_in()
    project = make_project(app, user)
    token = csrf(client.get(f"/projects/{project.id}/posts/new"))
    response = submit(
        client, csrf, project.id, headers={**HTMX, "X-CSRFToken": token}, workflow="repurpose"
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<form id="generate-form"')
    assert 'id="repurpose-post_id-error"' in shown_fieldset(fragment, "repurpose")
