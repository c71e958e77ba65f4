"""Workspace pages: the header's switcher, the dashboard of the current workspace, new
workspace, settings and the members page's actions."""

import html
import re

from webapp.extensions import db
from webapp.models import Project

from ..factories import make_project, make_user
from ..workspace_helpers import add_member, make_workspace, personal_workspace, roles_of


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _switch(client, csrf, workspace_id):
    token = csrf(client.get("/projects"))
    return client.post(
        "/workspaces/switch",
        data={"workspace_id": workspace_id, "csrf_token": token},
        follow_redirects=True,
    )


def _project_in(app, user, workspace, name):
    with app.app_context():
        from webapp.services import accounts, projects

        project = projects.create_project(
            accounts.get_user(user.id), name, workspace_id=workspace.id
        )
        return project.id


def test_the_switcher_shows_the_current_workspace_and_switches_without_js(client, auth, app, csrf):
    user = auth.signed_in()
    team = make_workspace(app, user, "Acme marketing")
    make_project(app, user, name="Private notes")
    _project_in(app, user, team, "Launch campaign")
    page = _text(client.get("/projects"))
    header = page[page.index("<header") : page.index("</header>")]
    assert 'aria-label="Current workspace: Personal"' in header
    assert "Acme marketing" in header and "New workspace" in header
    assert "Private notes" in page and "Launch campaign" not in page
    switched = _text(_switch(client, csrf, team.id))
    assert "Switched to “Acme marketing”." in switched
    assert 'aria-label="Current workspace: Acme marketing"' in switched
    assert "Launch campaign" in switched and "Private notes" not in switched
    # It stays switched for the next pages.
    assert "Launch campaign" in _text(client.get("/projects"))


def test_the_switcher_is_for_signed_in_people_only(client):
    page = _text(client.get("/login"))
    assert "workspace-switcher" not in page


def test_switching_to_a_workspace_one_is_not_in_is_404(client, auth, app, csrf):
    auth.signed_in()
    other = make_workspace(app, make_user(app, email="other@example.com"), "Theirs")
    response = _switch(client, csrf, other.id)
    assert response.status_code == 404
    assert "Theirs" not in _text(client.get("/projects"))


def test_a_removed_member_falls_back_to_the_personal_workspace(client, auth, app, csrf):
    user = auth.signed_in()
    owner = make_user(app, email="owner@example.com")
    team = make_workspace(app, owner, "Their team")
    add_member(app, team, user, "editor")
    _switch(client, csrf, team.id)
    with app.app_context():
        from webapp.models import Membership

        db.session.execute(
            db.delete(Membership).where(
                Membership.workspace_id == team.id, Membership.user_id == user.id
            )
        )
        db.session.commit()
    page = _text(client.get("/projects"))
    assert 'aria-label="Current workspace: Personal"' in page and "Their team" not in page


def test_a_project_created_from_the_dashboard_goes_to_the_current_workspace(
    client, auth, app, csrf
):
    user = auth.signed_in()
    team = make_workspace(app, user, "Acme marketing")
    _switch(client, csrf, team.id)
    token = csrf(client.get("/projects"))
    page = _text(
        client.post(
            "/projects", data={"name": "Spring launch", "csrf_token": token}, follow_redirects=True
        )
    )
    assert "Spring launch" in page and "In workspace" in page and "Acme marketing" in page
    with app.app_context():
        project = db.session.execute(
            db.select(Project).filter_by(name="Spring launch")
        ).scalar_one()
        assert project.workspace_id == team.id
    assert personal_workspace(app, user).id != team.id


def test_a_viewer_reads_the_dashboard_but_cannot_create(client, auth, app, csrf):
    user = auth.signed_in()
    owner = make_user(app, email="owner@example.com")
    team = make_workspace(app, owner, "Read only")
    _project_in(app, owner, team, "Their project")
    add_member(app, team, user, "viewer")
    page = _text(_switch(client, csrf, team.id))
    assert "Their project" in page and 'id="create-project"' not in page
    token = csrf(client.get("/projects"))
    refused = client.post("/projects", data={"name": "Sneaky", "csrf_token": token})
    assert refused.status_code == 403
    assert "lets you read its projects, not create them" in _text(refused)
    with app.app_context():
        assert db.session.execute(db.select(Project).filter_by(name="Sneaky")).first() is None


def test_new_workspace_form(client, auth, app, csrf):
    auth.signed_in()
    form = client.get("/workspaces/new")
    token = csrf(form)
    empty = client.post("/workspaces/new", data={"name": " ", "csrf_token": token})
    assert empty.status_code == 400 and "Give the workspace a name." in _text(empty)
    page = _text(
        client.post(
            "/workspaces/new", data={"name": "Clients", "csrf_token": token}, follow_redirects=True
        )
    )
    assert "Workspace “Clients” created." in page
    assert 'aria-label="Current workspace: Clients"' in page and "No projects yet" in page


def test_settings_rename_and_delete_with_confirmation(client, auth, app, csrf):
    user = auth.signed_in()
    team = make_workspace(app, user, "Old name")
    project_id = _project_in(app, user, team, "Goes too")
    token = csrf(client.get(f"/workspaces/{team.id}/settings"))
    renamed = _text(
        client.post(
            f"/workspaces/{team.id}/settings",
            data={"name": "New name", "csrf_token": token},
            follow_redirects=True,
        )
    )
    assert "Workspace renamed." in renamed and "New name" in renamed
    confirm = client.get(f"/workspaces/{team.id}/delete")
    assert "It cannot be undone." in _text(confirm)
    assert (
        client.get(f"/workspaces/{team.id}/settings").status_code == 200
    )  # asking deletes nothing
    deleted = _text(
        client.post(
            f"/workspaces/{team.id}/delete", data={"csrf_token": token}, follow_redirects=True
        )
    )
    assert "Workspace “New name” and its projects were deleted." in deleted
    assert client.get(f"/workspaces/{team.id}/settings").status_code == 404
    assert client.get(f"/projects/{project_id}").status_code == 404


def test_the_personal_workspace_says_it_cannot_be_deleted(client, auth, app, csrf):
    user = auth.signed_in()
    personal = personal_workspace(app, user)
    page = _text(client.get(f"/workspaces/{personal.id}/settings"))
    assert "Your personal workspace cannot be deleted." in page
    assert f"/workspaces/{personal.id}/delete" not in page
    token = csrf(client.get("/projects"))
    client.post(f"/workspaces/{personal.id}/delete", data={"csrf_token": token})
    assert client.get(f"/workspaces/{personal.id}/settings").status_code == 200


def _team_with_members(app, owner):
    team = make_workspace(app, owner, "Team")
    people = {}
    for role in ("editor", "viewer"):
        people[role] = make_user(app, email=f"{role}@example.com", name=f"{role.title()} Person")
        add_member(app, team, people[role], role)
    return team, people


def test_members_page_lists_roles_and_lets_the_owner_manage(client, auth, app, csrf):
    owner = auth.signed_in(name="Olive Owner")
    team, people = _team_with_members(app, owner)
    url = f"/workspaces/{team.id}/members"
    page = _text(client.get(url))
    assert "3 members" in page
    rows = re.findall(r'<tr id="member-([0-9a-f]+)"', page)
    assert rows == [people["viewer"].id, people["editor"].id, owner.id]  # newest first
    assert "viewer@example.com" in page and "Olive Owner" in page
    assert page.count(">Save</button>") == 2 and page.count(">Remove</a>") == 2
    assert page.count("Transfer ownership") == 2 and ">Leave</a>" not in page
    token = csrf(client.get(url))
    changed = _text(
        client.post(
            f"{url}/{people['viewer'].id}/role",
            data={"role": "reviewer", "csrf_token": token},
            follow_redirects=True,
        )
    )
    assert "Viewer Person is now reviewer." in changed
    confirm = _text(client.get(f"{url}/{people['editor'].id}/remove"))
    assert "Remove Editor Person from" in confirm and "3 members" not in confirm  # asks first
    removed = _text(
        client.post(
            f"{url}/{people['editor'].id}/remove", data={"csrf_token": token}, follow_redirects=True
        )
    )
    assert "Editor Person was removed from the workspace." in removed and "2 members" in removed
    refused = _text(
        client.post(
            f"{url}/{owner.id}/role",
            data={"role": "viewer", "csrf_token": token},
            follow_redirects=True,
        )
    )
    assert "transfer ownership first" in refused
    assert roles_of(app, team) == {
        owner.id: "owner",
        people["viewer"].id: "reviewer",
        None: owner.id,
    }


def test_transfer_ownership_with_confirmation(client, auth, app, csrf):
    owner = auth.signed_in()
    team, people = _team_with_members(app, owner)
    heir = people["editor"]
    confirm = _text(client.get(f"/workspaces/{team.id}/transfer/{heir.id}"))
    assert "Make Editor Person the owner of “Team”?" in confirm
    assert roles_of(app, team)[None] == owner.id  # asking transfers nothing
    token = csrf(client.get(f"/workspaces/{team.id}/members"))
    page = _text(
        client.post(
            f"/workspaces/{team.id}/transfer/{heir.id}",
            data={"csrf_token": token},
            follow_redirects=True,
        )
    )
    assert "Editor Person now owns “Team”; you are an admin." in page
    # Now an admin: may still set the roles of everybody but the owner (their own too).
    assert "Transfer ownership" not in page and page.count(">Save</button>") == 2
    assert roles_of(app, team) == {
        heir.id: "owner",
        owner.id: "admin",
        people["viewer"].id: "viewer",
        None: heir.id,
    }
    assert client.get(f"/workspaces/{team.id}/delete").status_code == 403


def test_a_viewer_sees_members_leaves_and_cannot_manage(client, auth, app, csrf):
    owner = make_user(app, email="owner@example.com")
    team, people = _team_with_members(app, owner)
    viewer = people["viewer"]
    auth.login_page(email=viewer.email)
    url = f"/workspaces/{team.id}/members"
    page = _text(client.get(url))
    assert "3 members" in page and ">Save</button>" not in page and ">Remove</button>" not in page
    assert page.count(">Leave</a>") == 1 and "Transfer ownership" not in page
    token = csrf(client.get(url))
    for response in (
        client.post(
            f"{url}/{people['editor'].id}/role", data={"role": "viewer", "csrf_token": token}
        ),
        client.post(f"{url}/{people['editor'].id}/remove", data={"csrf_token": token}),
        client.post(f"/workspaces/{team.id}/settings", data={"name": "x", "csrf_token": token}),
        client.get(f"/workspaces/{team.id}/delete"),
        client.get(f"/workspaces/{team.id}/transfer/{viewer.id}"),
    ):
        assert response.status_code == 403
    _switch(client, csrf, team.id)
    left = _text(
        client.post(f"{url}/{viewer.id}/remove", data={"csrf_token": token}, follow_redirects=True)
    )
    assert "You left “Team”." in left
    assert 'aria-label="Current workspace: Personal"' in left
    assert client.get(url).status_code == 404
    assert viewer.id not in roles_of(app, team)


def test_an_outsider_gets_404_on_every_workspace_page(client, auth, app, csrf):
    owner = make_user(app, email="owner@example.com")
    team, people = _team_with_members(app, owner)
    auth.signed_in(email="outsider@example.com")
    token = csrf(client.get("/projects"))
    base = f"/workspaces/{team.id}"
    for response in (
        client.get(f"{base}/members"),
        client.get(f"{base}/settings"),
        client.get(f"{base}/delete"),
        client.get(f"{base}/transfer/{people['editor'].id}"),
        client.post(f"{base}/members/{people['editor'].id}/remove", data={"csrf_token": token}),
        client.post(
            f"{base}/members/{people['editor'].id}/role",
            data={"role": "admin", "csrf_token": token},
        ),
    ):
        assert response.status_code == 404
        assert "Team" not in _text(response).split("</header>")[1]
    assert len(roles_of(app, team)) == 4
