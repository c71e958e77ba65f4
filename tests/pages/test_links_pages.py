"""The link opportunities panel of the project page: add through the plain form and
through htmx, validation messages next to the fields with the input kept, removal with a
confirmation, sign-in and isolation."""

from __future__ import annotations

import html

from webapp.extensions import db
from webapp.models import LinkOpportunity
from webapp.services import accounts, links, projects

from ..factories import make_project, make_user

GUIDE_URL = "https://yourblog.com/seo-guide"
HTMX_PANEL = {"HX-Request": "true", "HX-Target": "links-panel"}


def links_url(project_id: str) -> str:
    return f"/projects/{project_id}/links"


def make_link(app, user, project, url=GUIDE_URL, keywords=("SEO",)) -> str:
    with app.app_context():
        owner = accounts.get_user(user.id)
        return links.create_link(
            owner, projects.get_project_or_404(project.id, owner), url, list(keywords)
        ).id


def link_count(app, project_id) -> int:
    with app.app_context():
        return db.session.execute(
            db.select(db.func.count())
            .select_from(LinkOpportunity)
            .where(LinkOpportunity.project_id == project_id)
        ).scalar_one()


def form_data(token, **fields) -> dict:
    return {
        "target_url": GUIDE_URL,
        "keywords": "SEO, search rankings",
        "anchor_text": "our SEO guide",
        "csrf_token": token,
        **fields,
    }


def field_error(page: str, field: str) -> str:
    start = page.index(f'id="{field}-error"')
    return page[page.index(">", start) + 1 : page.index("</small>", start)]


def test_the_project_page_has_an_empty_link_panel(client, auth, app):
    project = make_project(app, auth.signed_in())
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert 'id="links-panel"' in page and "No link opportunities yet" in page
    assert f'action="{links_url(project.id)}"' in page and 'name="keywords"' in page


def test_add_with_the_plain_form_redirects_to_the_project_with_a_notice(client, auth, app, csrf):
    project = make_project(app, auth.signed_in())
    token = csrf(client.get(f"/projects/{project.id}"))
    response = client.post(links_url(project.id), data=form_data(token))
    assert response.status_code in (302, 303)
    assert response.headers["Location"].endswith(f"/projects/{project.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Link opportunity added." in page and f'href="{GUIDE_URL}"' in page
    assert ">SEO</span>" in page and ">search rankings</span>" in page
    assert "our SEO guide" in page and "No link opportunities yet" not in page


def test_add_with_htmx_returns_the_refreshed_panel(client, auth, app, csrf):
    project = make_project(app, auth.signed_in())
    token = csrf(client.get(f"/projects/{project.id}"))
    response = client.post(
        links_url(project.id), data=form_data(token), headers={**HTMX_PANEL, "X-CSRFToken": token}
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and fragment.lstrip().startswith('<section id="links-panel"')
    assert f'href="{GUIDE_URL}"' in fragment and ">search rankings</span>" in fragment
    assert f'value="{GUIDE_URL}"' not in fragment, "the form is ready for the next link"
    assert link_count(app, project.id) == 1


def test_invalid_input_is_shown_next_to_the_field_and_kept(client, auth, app, csrf):
    project = make_project(app, auth.signed_in())
    token = csrf(client.get(f"/projects/{project.id}"))
    response = client.post(
        links_url(project.id),
        data=form_data(token, target_url="yourblog.com/guide", keywords="SEO, growth"),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "http:// or https://" in field_error(page, "target_url")
    assert 'value="yourblog.com/guide"' in page and 'value="SEO, growth"' in page
    assert 'value="our SEO guide"' in page and 'aria-invalid="true"' in page
    assert link_count(app, project.id) == 0


def test_keywords_that_are_only_commas_are_refused(client, auth, app, csrf):
    project = make_project(app, auth.signed_in())
    token = csrf(client.get(f"/projects/{project.id}"))
    page = client.post(links_url(project.id), data=form_data(token, keywords=" , ,")).get_data(
        as_text=True
    )
    assert "at least one keyword" in field_error(page, "keywords")
    assert f'value="{GUIDE_URL}"' in page
    empty = client.post(
        links_url(project.id), data=form_data(token, target_url="", keywords="")
    ).get_data(as_text=True)
    assert "Enter the address of the page." in field_error(empty, "target_url")
    assert "Give at least one keyword." in field_error(empty, "keywords")
    assert link_count(app, project.id) == 0


def test_htmx_gets_the_errors_in_a_panel_it_will_swap_in(client, auth, app, csrf):
    project = make_project(app, auth.signed_in())
    token = csrf(client.get(f"/projects/{project.id}"))
    response = client.post(
        links_url(project.id),
        data=form_data(token, target_url="ftp://x.io/a"),
        headers={**HTMX_PANEL, "X-CSRFToken": token},
    )
    # htmx swaps only 2xx responses (its default responseHandling).
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and 'id="links-panel"' in fragment
    assert "http:// or https://" in field_error(fragment, "target_url")
    assert 'value="ftp://x.io/a"' in fragment
    assert link_count(app, project.id) == 0


def test_adding_without_a_csrf_token_is_refused(client, auth, app):
    project = make_project(app, auth.signed_in())
    response = client.post(links_url(project.id), data=form_data(""))
    assert response.status_code == 400 and link_count(app, project.id) == 0


def test_removing_asks_first_then_removes(client, auth, app, csrf):
    user = auth.signed_in()
    project = make_project(app, user)
    link_id = make_link(app, user, project)
    delete_url = f"{links_url(project.id)}/{link_id}/delete"
    assert f'href="{delete_url}"' in client.get(f"/projects/{project.id}").get_data(as_text=True)

    confirm = client.get(delete_url)
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and f"Remove the link opportunity to {GUIDE_URL}?" in page
    assert f'action="{delete_url}"' in page and link_count(app, project.id) == 1

    response = client.post(delete_url, data={"csrf_token": csrf(confirm)})
    assert response.status_code in (302, 303)
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Link opportunity removed." in after and "No link opportunities yet" in after
    assert link_count(app, project.id) == 0
    assert client.get(delete_url).status_code == 404


def test_removing_with_htmx_navigates_back_to_the_project(client, auth, app, csrf):
    user = auth.signed_in()
    project = make_project(app, user)
    link_id = make_link(app, user, project)
    token = csrf(client.get(f"/projects/{project.id}"))
    response = client.post(
        f"{links_url(project.id)}/{link_id}/delete",
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 204
    assert response.headers["HX-Location"] == f"/projects/{project.id}"
    assert link_count(app, project.id) == 0


def test_another_users_links_are_404(client, auth, app, csrf):
    owner = make_user(app, email="owner@example.com")
    theirs = make_project(app, owner, name="Theirs")
    link_id = make_link(app, owner, theirs, url="https://owner.example/secret")
    mine = make_project(app, auth.signed_in(email="intruder@example.com"))
    token = csrf(client.get(f"/projects/{mine.id}"))
    for response in (
        client.get(links_url(theirs.id)),
        client.post(links_url(theirs.id), data=form_data(token)),
        client.get(f"{links_url(theirs.id)}/{link_id}/delete"),
        client.post(f"{links_url(theirs.id)}/{link_id}/delete", data={"csrf_token": token}),
        client.get(f"{links_url(mine.id)}/{link_id}/delete"),
        client.post(f"{links_url(mine.id)}/{link_id}/delete", data={"csrf_token": token}),
    ):
        assert response.status_code == 404
        assert "owner.example" not in response.get_data(as_text=True)
    assert link_count(app, theirs.id) == 1 and link_count(app, mine.id) == 0


def test_a_link_is_only_removed_through_its_own_project(client, auth, app, csrf):
    user = auth.signed_in()
    first, second = make_project(app, user, name="First"), make_project(app, user, name="Second")
    link_id = make_link(app, user, first)
    token = csrf(client.get(f"/projects/{second.id}"))
    response = client.post(f"{links_url(second.id)}/{link_id}/delete", data={"csrf_token": token})
    assert response.status_code == 404 and link_count(app, first.id) == 1


def test_link_pages_need_a_signed_in_user(client, app):
    project = make_project(app, make_user(app))
    response = client.get(links_url(project.id))
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
    assert client.post(links_url(project.id), data=form_data("")).status_code in (302, 303, 400)
    assert link_count(app, project.id) == 0


def test_link_text_from_users_is_escaped(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    make_link(app, user, project, keywords=["<b>bold</b>"])
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert html.escape("<b>bold</b>") in page and "<b>bold</b>" not in page
