"""Dashboard and project pages: list, create, edit, delete, isolation, htmx fragments."""

import re

from webapp.extensions import db
from webapp.models import Post, Source

from ..factories import make_project, make_user


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
    text = {re.search(r">([^<]+)</a></h3>", card).group(1): card for card in cards}
    assert "2 sources</span> · <span>1 post<" in text["Busy"]
    assert "0 sources</span> · <span>0 posts<" in text["Empty"]
    assert empty.id in text["Empty"]
