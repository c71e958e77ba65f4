"""Post and job pages through the Flask test client, with the real worker and the offline
writer: the generation form, the job page, the post page, the project's posts list."""

from __future__ import annotations

import re

from webapp.extensions import db
from webapp.models import Job, Post

from ..conftest import wait_for
from ..factories import make_completed_post, make_project

HTMX = {"HX-Request": "true"}


def submit(client, csrf, project_id, headers=None, **fields):
    token = csrf(client.get(f"/projects/{project_id}/posts/new"))
    data = {
        "topic": "Email marketing for small shops",
        "voice": "casual",
        "target_length": "short",
        "channel": "blog",
        "csrf_token": token,
        **fields,
    }
    return client.post(f"/projects/{project_id}/posts/new", data=data, headers=headers or {})


def finished_job_page(client, job_url) -> str:
    def done():
        fragment = client.get(job_url, headers={**HTMX, "HX-Target": "job-progress"})
        text = fragment.get_data(as_text=True)
        return (fragment, text) if 'hx-trigger="every 1s"' not in text else None

    return wait_for(done, timeout=60, interval=0.2)


def test_form_shows_voices_of_the_plan_and_only_parsed_sources(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user, name="Shop")
    page = client.get(f"/projects/{project.id}/posts/new").get_data(as_text=True)
    assert "<title>New post · Shop" in page
    assert re.search(r'<option value="casual"\s*>', page)
    assert re.search(r'<option value="gen_z"\s+disabled>Gen Z — on Starter and above', page)
    assert "No sources yet." in page
    assert 'name="topic"' in page and 'for="topic"' in page


def test_generate_goes_to_the_job_page_which_moves_to_the_post(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user, name="Shop")
    response = submit(client, csrf, project.id)
    assert response.status_code in (302, 303)
    job_url = response.headers["Location"]
    assert re.fullmatch(r"/jobs/[0-9a-f]{24}", job_url)
    page = client.get(job_url).get_data(as_text=True)
    assert "Email marketing for small shops" in page and 'id="job-progress-bar"' in page

    fragment, text = finished_job_page(client, job_url)
    post_url = fragment.headers["HX-Redirect"]
    assert re.fullmatch(r"/posts/[0-9a-f]{24}", post_url)
    assert "Read the post" in text

    post_page = client.get(post_url).get_data(as_text=True)
    assert 'class="badge badge-offline"' in post_page
    assert re.search(r"<h1>[^<]+</h1>", post_page) and "<h2>" in post_page
    # No sources were ticked: an outline of what to cover, said above the post.
    assert "No sources were selected, so this is an outline of what to cover" in post_page
    assert "<li>What email marketing for small shops means for the reader</li>" in post_page
    download = client.get(post_url + ".md")
    assert download.mimetype == "text/markdown"
    assert download.get_data(as_text=True).startswith("# ")
    assert "attachment" in download.headers["Content-Disposition"]

    project_page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert f'href="{post_url}"' in project_page and "status-completed" in project_page


def test_htmx_submit_navigates_with_hx_location(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user)
    token = csrf(client.get(f"/projects/{project.id}/posts/new"))
    response = submit(
        client,
        csrf,
        project.id,
        headers={**HTMX, "HX-Target": "generate-form", "X-CSRFToken": token},
    )
    assert response.status_code == 204
    job_url = response.headers["HX-Location"]
    finished_job_page(client, job_url)


def test_validation_errors_show_next_to_the_field_and_keep_the_input(client, auth, app, csrf):
    user = auth.signed_in()
    project = make_project(app, user)
    response = submit(client, csrf, project.id, topic="", custom_instructions="Keep me")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="topic-error"' in page and 'aria-invalid="true"' in page
    assert "Keep me</textarea>" in page

    response = submit(client, csrf, project.id, voice="gen_z", topic="Keep this topic")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'id="voice-error" class="field-error">The gen_z voice is not available', page)
    assert 'value="Keep this topic"' in page
    with app.app_context():
        assert db.session.query(Post).count() == 0


def test_delete_post_asks_first(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user)
    job_url = submit(client, csrf, project.id).headers["Location"]
    post_url = finished_job_page(client, job_url)[0].headers["HX-Redirect"]
    confirm = client.get(post_url + "/delete").get_data(as_text=True)
    assert "Delete “Email marketing for small shops”?" in confirm
    token = csrf(client.get(post_url + "/delete"))
    response = client.post(post_url + "/delete", data={"csrf_token": token})
    assert response.status_code in (302, 303)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "was deleted." in page
    assert client.get(post_url).status_code == 404


def test_another_users_post_and_job_pages_are_404(client, auth, app, csrf, worker):
    owner = auth.signed_in(email="owner@example.com")
    project = make_project(app, owner)
    job_url = submit(client, csrf, project.id).headers["Location"]
    post_url = finished_job_page(client, job_url)[0].headers["HX-Redirect"]
    client.post("/logout", data={"csrf_token": csrf(client.get("/projects"))})
    auth.signed_in(email="intruder@example.com")
    for url in (
        job_url,
        post_url,
        post_url + ".md",
        post_url + "/delete",
        f"/projects/{project.id}/posts/new",
        f"/projects/{project.id}/posts",
    ):
        assert client.get(url).status_code == 404, url


def test_posts_list_filters_and_polls_only_while_generating(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user)
    finished_job_page(client, submit(client, csrf, project.id).headers["Location"])
    url = f"/projects/{project.id}/posts"
    fragment = client.get(url, headers={**HTMX, "HX-Target": "posts-list"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="posts-list"') or "posts-list" in fragment
    assert "hx-trigger" not in fragment.split(">", 1)[0]
    failed = client.get(url + "?status=failed", headers={**HTMX, "HX-Target": "posts-list"})
    assert "No posts marked “Couldn’t finish”." in failed.get_data(as_text=True)


def test_project_page_query_count_does_not_grow_with_posts(client, auth, app, sql_statements):
    user = auth.signed_in()
    project = make_project(app, user)

    def queries() -> int:
        with sql_statements() as executed:
            assert client.get(f"/projects/{project.id}").status_code == 200
        return len(executed)

    def add_posts(count):
        with app.app_context():
            for n in range(count):
                db.session.add(
                    Post(
                        project_id=project.id,
                        user_id=user.id,
                        topic=f"T{n}",
                        voice="casual",
                        status="completed",
                        word_count=900,
                        content={"markdown": "# T"},
                    )
                )
            db.session.commit()

    add_posts(1)
    few = queries()
    add_posts(8)
    assert queries() == few


def test_the_form_tells_a_marketer_how_drafts_are_written(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user, name="Shop")
    page = client.get(f"/projects/{project.id}/posts/new").get_data(as_text=True)
    assert "Drafts are assembled from your sources; your administrator can connect a model" in page
    assert "LLM_MODEL" not in page


def test_without_javascript_the_job_page_refreshes_itself_until_the_job_ends(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    refresh = '<noscript><meta http-equiv="refresh" content="3"></noscript>'
    for status, refreshes in (
        ("queued", True),
        ("processing", True),
        ("slot_needed", False),  # a person is editing the outline
        ("completed", False),
        ("failed", False),
    ):
        with app.app_context():
            job = Job(
                user_id=user.id, project_id=project.id, job_type="content_generation", status=status
            )
            db.session.add(job)
            db.session.commit()
            job_id = job.id
        page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
        head = page.split("</head>", 1)[0]
        assert (refresh in head) is refreshes, status


def test_tokens_and_cost_show_only_for_a_models_draft(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    content = {
        "title": "Async standups",
        "markdown": "# Async standups\n\nWrite it down.",
        "word_count": 4,
        "kind": "draft",
        "citations": [],
    }
    offline = make_completed_post(app, user, project, content, model="offline")
    model = make_completed_post(
        app,
        user,
        project,
        content,
        model="openai/gpt-4o",
        prompt_tokens=1200,
        completion_tokens=800,
        cost_usd=0.0125,
    )
    offline_page = client.get(f"/posts/{offline}").get_data(as_text=True)
    assert "<dt>Tokens</dt>" not in offline_page and "<dt>Cost</dt>" not in offline_page
    model_page = client.get(f"/posts/{model}").get_data(as_text=True)
    assert "<dt>Tokens</dt><dd>1,200 in · 800 out</dd>" in model_page
    assert "<dt>Cost</dt><dd>$0.0125</dd>" in model_page
