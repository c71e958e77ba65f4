"""Dashboard and project pages: list, create, edit, delete, isolation, htmx fragments."""

import re

from webapp.extensions import db
from webapp.models import Post, Source

from ..factories import make_project, make_user
from ..workspace_helpers import add_member, make_workspace
from .test_workspaces import _switch


def test_create_project_from_dashboard(client, auth, app, csrf):
    auth.signed_in()
    token = csrf(client.get("/projects"))
    response = client.post(
        "/projects",
        data={"name": "Spring launch", "description": "Emails and posts", "csrf_token": token},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Spring launch" in page and "Emails and posts" in page
    assert "Spring launch" in client.get("/projects").get_data(as_text=True)


def test_create_with_htmx_navigates_with_hx_location(client, auth, app, csrf):
    auth.signed_in()
    token = csrf(client.get("/projects"))
    response = client.post(
        "/projects", data={"name": "Via htmx"}, headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert response.status_code == 204
    assert response.headers["HX-Location"].startswith("/projects/")


def test_htmx_navigation_without_target_gets_the_whole_page(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user, name="Whole page")
    # What htmx sends when it follows HX-Location: HX-Request, but no HX-Target.
    page = client.get(f"/projects/{project.id}", headers={"HX-Request": "true"})
    assert "<html" in page.get_data(as_text=True) and "Sign out" in page.get_data(as_text=True)


def test_invalid_project_keeps_input_and_returns_fragment_to_htmx(client, auth, app, csrf):
    auth.signed_in()
    token = csrf(client.get("/projects"))
    response = client.post(
        "/projects",
        data={"name": "", "description": "kept text"},
        headers={"HX-Request": "true", "HX-Target": "create-project", "X-CSRFToken": token},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page and 'id="create-project"' in page
    assert "Give the project a name." in page and "kept text" in page
    plain = client.post("/projects", data={"name": "", "csrf_token": token})
    assert plain.status_code == 400 and "<html" in plain.get_data(as_text=True)


def test_dashboard_paginates(client, auth, app):
    user = auth.signed_in()
    for n in range(14):
        make_project(app, user, name=f"Project {n:02d}")
    first = client.get("/projects").get_data(as_text=True)
    assert "Project 13" in first and "Project 01" not in first and "Page 1 of 2" in first
    second = client.get("/projects?page=2").get_data(as_text=True)
    assert "Project 01" in second and "Project 13" not in second


def test_dashboard_query_count_does_not_grow_with_projects(client, auth, app, sql_statements):
    user = auth.signed_in()

    def queries_for_dashboard():
        with sql_statements() as executed:
            assert client.get("/projects").status_code == 200
        return len(executed)

    make_project(app, user, name="One")
    few = queries_for_dashboard()
    for n in range(10):
        make_project(app, user, name=f"More {n}")
    assert queries_for_dashboard() == few


def test_edit_and_delete_with_confirmation(client, auth, app, csrf):
    user = auth.signed_in()
    project = make_project(app, user, name="Old name")
    token = csrf(client.get(f"/projects/{project.id}"))
    response = client.post(
        f"/projects/{project.id}/edit",
        data={"name": "New name", "description": "", "csrf_token": token},
        follow_redirects=True,
    )
    assert "New name" in response.get_data(as_text=True)
    confirm = client.get(f"/projects/{project.id}/delete").get_data(as_text=True)
    assert "cannot be undone" in confirm
    assert client.get(f"/projects/{project.id}").status_code == 200  # asking deleted nothing
    response = client.post(
        f"/projects/{project.id}/delete", data={"csrf_token": token}, follow_redirects=True
    )
    assert "was deleted" in response.get_data(as_text=True)
    assert client.get(f"/projects/{project.id}").status_code == 404


def test_edit_with_htmx_returns_details_fragment(client, auth, app, csrf):
    user = auth.signed_in()
    project = make_project(app, user, name="Inline")
    token = csrf(client.get(f"/projects/{project.id}"))
    form = client.get(
        f"/projects/{project.id}/edit",
        headers={"HX-Request": "true", "HX-Target": "project-details"},
    )
    assert "<html" not in form.get_data(as_text=True) and "Save" in form.get_data(as_text=True)
    saved = client.post(
        f"/projects/{project.id}/edit",
        data={"name": "Inline 2"},
        headers={"HX-Request": "true", "HX-Target": "project-details", "X-CSRFToken": token},
    )
    assert 'id="project-details"' in saved.get_data(as_text=True)
    assert "Inline 2" in saved.get_data(as_text=True)


def test_another_users_project_pages_are_404(client, auth, app, csrf):
    owner = make_user(app, email="owner@example.com")
    project = make_project(app, owner, name="Owner only")
    auth.signed_in(email="intruder@example.com")
    token = csrf(client.get("/projects"))
    for response in (
        client.get(f"/projects/{project.id}"),
        client.get(f"/projects/{project.id}/edit"),
        client.post(f"/projects/{project.id}/delete", data={"csrf_token": token}),
    ):
        assert response.status_code == 404
        assert "Owner only" not in response.get_data(as_text=True)
    assert "Owner only" not in client.get("/projects").get_data(as_text=True)


def test_dashboard_cards_count_each_projects_sources_and_posts(client, auth, app):
    user = auth.signed_in()
    busy, empty = make_project(app, user, name="Busy"), make_project(app, user, name="Empty")
    with app.app_context():
        for name in ("a.md", "b.md"):
            db.session.add(
                Source(
                    project_id=busy.id,
                    user_id=user.id,
                    filename=name,
                    file_type="md",
                    status="parsed",
                    storage_key=name,
                )
            )
        db.session.add(
            Post(project_id=busy.id, user_id=user.id, topic="T", voice="casual", status="completed")
        )
        db.session.commit()
    cards = re.findall(
        r'<li class="card project-card">.*?</li>',
        client.get("/projects").get_data(as_text=True),
        re.S,
    )
    text = {re.search(r">([^<]+)</span></a></h3>", card).group(1): card for card in cards}
    assert "2 sources</span> · <span>1 post<" in text["Busy"]
    assert "0 sources</span> · <span>0 posts<" in text["Empty"]
    assert empty.id in text["Empty"]


# ------------------------------------------------ issue 17: the dashboard and project page


def test_new_project_is_a_page_of_its_own_and_a_dialog_on_the_dashboard(client, auth, csrf):
    auth.signed_in()
    dashboard = client.get("/projects").get_data(as_text=True)
    # "New project" is a link to /projects/new; the form sits only in a closed dialog.
    assert re.search(
        r'<a href="/projects/new" role="button" [^>]*data-opens-dialog="new-project-dialog"',
        dashboard,
    )
    dialog = re.search(r'<dialog id="new-project-dialog".*?</dialog>', dashboard, re.S)
    assert dialog and 'id="create-project"' in dialog.group(0) and " open" not in dialog.group(0)
    assert dashboard.count('id="create-project"') == 1

    page = client.get("/projects/new").get_data(as_text=True)
    assert "<h1>New project</h1>" in page and 'id="create-project"' in page
    # A mistake without JavaScript comes back on that page, with the name kept.
    token = csrf(client.get("/projects/new"))
    sent = client.post("/projects", data={"name": "", "description": "kept", "csrf_token": token})
    again = sent.get_data(as_text=True)
    assert sent.status_code == 400 and "<h1>New project</h1>" in again
    assert "Give the project a name." in again and "kept" in again
    done = client.post(
        "/projects", data={"name": "From the page", "csrf_token": token}, follow_redirects=True
    )
    assert "<h1>From the page</h1>" in done.get_data(as_text=True)


def test_new_project_page_tells_a_viewer_they_cannot_create(client, auth, app, csrf):
    user = auth.signed_in()
    team = make_workspace(app, make_user(app, email="owner@example.com"), "Read only")
    add_member(app, team, user, "viewer")
    _switch(client, csrf, team.id)
    dashboard = client.get("/projects").get_data(as_text=True)
    assert "New project" not in dashboard and "new-project-dialog" not in dashboard
    page = client.get("/projects/new").get_data(as_text=True)
    assert "lets you read its projects, not create them" in page
    assert 'id="create-project"' not in page


def test_name_fields_say_how_many_characters_are_left(client, auth, app):
    user = auth.signed_in()
    form = client.get("/projects/new").get_data(as_text=True)
    name = re.search(r'<input [^>]*id="name"[^>]*>', form).group(0)
    assert 'maxlength="200"' in name and "name-count" in name  # aria-describedby
    assert '<small id="name-count" class="char-count muted" data-char-count="name">' in form
    assert "200 characters left" in form
    # Optional fields say so; no field carries an asterisk.
    assert "Description (optional)" in form and 'class="required"' not in form

    project = make_project(app, user, name="Twelve chars")
    edit = client.get(f"/projects/{project.id}/edit").get_data(as_text=True)
    assert "188 characters left" in edit and 'class="required"' not in edit


def test_dashboard_card_is_one_link_with_the_full_name(client, auth, app):
    user = auth.signed_in()
    long_name = "Quarterly thought-leadership series for the enterprise " * 3
    project = make_project(app, user, name=long_name.strip(), description="Deep dives.")
    page = client.get("/projects").get_data(as_text=True)
    card = re.search(r'<li class="card project-card">.*?</li>', page, re.S).group(0)
    assert len(re.findall(r"<a ", card)) == 1 and "<button" not in card
    link = re.search(r"<a [^>]*>", card).group(0)
    assert f'href="/projects/{project.id}"' in link and 'class="card-link"' in link
    assert f'title="{long_name.strip()}"' in link
    assert f'<span class="clamp-2">{long_name.strip()}</span>' in card


def test_project_page_leads_with_new_post_and_folds_the_rest(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user, name="Launch")
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    head = re.search(r'<section id="project-details".*?</section>', page, re.S).group(0)
    assert re.search(r"<h1>Launch</h1>.*>New post</a>", head, re.S)
    assert page.count(">New post</a>") == 1
    # The one primary button: every other button or button-like link is secondary.
    plain = [
        tag
        for tag in re.findall(r'<(?:button|a)\b[^>]*(?:role="button"|type="submit")[^>]*>', page)
        if not re.search(r'class="[^"]*\b(secondary|outline|contrast)\b', tag)
    ]
    header_end = page.index("<main")
    assert [t for t in plain if page.index(t) > header_end] == [
        f'<a href="/projects/{project.id}/posts/new" role="button" class="page-action">'
    ]
    # URL import and link opportunities are folded; the Upload button is for no-JS only.
    assert '<details class="fold" id="url-import">' in page
    assert re.search(r'<details class="fold">\s*<summary>Add a link opportunity</summary>', page)
    assert 'class="secondary no-js-only">Upload</button>' in page
    assert "data-upload-on-choose" in page
    assert 'class="required"' not in page


def test_link_form_with_a_mistake_comes_back_unfolded_without_javascript(client, auth, app, csrf):
    user = auth.signed_in()
    project_url = f"/projects/{make_project(app, user, name='Launch').id}"
    empty = {"target_url": "", "keywords": "", "csrf_token": csrf(client.get(project_url))}
    response = client.post(f"{project_url}/links", data=empty)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'<details class="fold" open>\s*<summary>Add a link opportunity', page)
    assert "Enter the address of the page." in page
