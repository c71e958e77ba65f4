"""Brand voice pages: admins and the owner list, create, edit and delete a workspace's
voices; viewers see the list read-only; the settings page links to it; the new-post form
offers the workspace's voices."""

from __future__ import annotations

import html
import re

import pytest

from webapp.extensions import db
from webapp.models import BrandVoice, Post
from webapp.services import accounts

from ..conftest import TEST_KEY_PREFIX, csrf_token_from
from ..factories import add_member, make_team_project, make_workspace
from ..fixtures.http_client import AuthActions
from ..voice_helpers import person

pytestmark = pytest.mark.usefixtures("db")

FORM = {
    "name": "Bakery",
    "description": "Warm and plain-spoken.",
    "dos": "Name the bread\n\n  Say when it is baked  \n",
    "donts": "Say 'artisanal'",
    "example_1": "",
    "example_2": "Our rye never lasts past nine.",
    "example_3": "",
}


@pytest.fixture
def team(app):
    owner = person(app, "owner@example.com", plan="starter")[0]
    viewer = person(app, "viewer@example.com")[0]
    workspace = make_workspace(app, owner, "Bakers")
    add_member(app, workspace, viewer, "viewer")
    workspace.owner, workspace.viewer = owner, viewer
    workspace.url = f"/workspaces/{workspace.id}/voices"
    return workspace


def signed_in(app, email):
    client = app.test_client()
    response = AuthActions(app, client).login_page(email)
    assert response.status_code in (302, 303)
    client.csrf = csrf_token_from(client.get("/settings/profile"))
    return client


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def create(client, team, **fields):
    return client.post(f"{team.url}/new", data={**FORM, **fields, "csrf_token": client.csrf})


def the_voice(app) -> BrandVoice:
    with app.app_context():
        voice = db.session.execute(db.select(BrandVoice)).scalar_one()
        db.session.expunge(voice)
        return voice


def test_the_owner_creates_edits_and_deletes_a_voice(app, team):
    client = signed_in(app, team.owner.email)
    settings = text(client.get(f"/workspaces/{team.id}/settings"))
    assert f'href="{team.url}"' in settings  # linked from the settings page (and the tabs)
    empty = text(client.get(team.url))
    assert "No brand voices yet." in empty and f'href="{team.url}/new"' in empty

    created = create(client, team)
    assert created.status_code in (302, 303) and created.headers["Location"] == team.url
    voice = the_voice(app)
    assert voice.dos == ["Name the bread", "Say when it is baked"]
    assert voice.examples == ["Our rye never lasts past nine."]
    listed = text(client.get(team.url))
    assert "Brand voice “Bakery” created." in listed
    assert "Warm and plain-spoken." in listed and "<li>Say 'artisanal'</li>" in listed

    edit_url = f"{team.url}/{voice.id}/edit"
    form = text(client.get(edit_url))
    assert 'value="Bakery"' in form and "Name the bread\nSay when it is baked" in form
    saved = client.post(edit_url, data={**FORM, "name": "Corner bakery", "csrf_token": client.csrf})
    assert saved.status_code in (302, 303)
    assert the_voice(app).name == "Corner bakery"

    delete_url = f"{team.url}/{voice.id}/delete"
    assert "Delete the brand voice “Corner bakery”?" in text(client.get(delete_url))
    deleted = client.post(delete_url, data={"csrf_token": client.csrf})
    assert deleted.status_code in (302, 303)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(BrandVoice.id))).scalar() == 0


def test_errors_are_shown_at_their_fields(app, team):
    client = signed_in(app, team.owner.email)
    response = create(client, team, name="Witty", example_2="e" * 2001)
    assert response.status_code == 400
    page = text(response)
    assert re.search(r'id="name-error" class="field-error">“Witty” is the name of a built-in', page)
    assert re.search(r'id="example_2-error" class="field-error">Keep each of the examples', page)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(BrandVoice.id))).scalar() == 0


def test_a_viewer_sees_the_list_read_only(app, team):
    create(signed_in(app, team.owner.email), team)
    voice = the_voice(app)
    client = signed_in(app, team.viewer.email)
    page = text(client.get(team.url))
    assert "Bakery" in page and "Warm and plain-spoken." in page
    assert f"{team.url}/new" not in page
    assert f"{voice.id}/edit" not in page and f"{voice.id}/delete" not in page
    assert client.get(f"{team.url}/new").status_code == 403
    refused = client.post(f"{team.url}/{voice.id}/delete", data={"csrf_token": client.csrf})
    assert refused.status_code == 403 and "Not allowed" in text(refused)


def test_a_stranger_finds_nothing(app, team):
    person(app, "stranger@example.com")
    client = signed_in(app, "stranger@example.com")
    assert client.get(team.url).status_code == 404


def test_a_free_workspace_says_voices_need_starter(app, team):
    with app.app_context():
        accounts.get_user(team.owner.id).subscription_tier = "free"
        db.session.commit()
    client = signed_in(app, team.owner.email)
    page = text(client.get(team.url))
    assert "Brand voices need the Starter plan or above" in page
    assert f'href="{team.url}/new"' not in page
    refused = create(client, team)
    assert refused.status_code == 400
    assert "Brand voices need the starter plan or above" in text(refused)


def test_the_new_post_form_offers_the_workspaces_voices(app, team, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_KEY_PREFIX", f"{TEST_KEY_PREFIX}-idle")  # no worker
    owner = signed_in(app, team.owner.email)
    create(owner, team)
    voice = the_voice(app)
    project = make_team_project(app, team, team.owner)
    form = text(owner.get(f"/projects/{project.id}/posts/new"))
    assert '<optgroup label="Brand voices of Bakers">' in form
    assert re.search(rf'<option value="custom:{voice.id}"\s*>Bakery</option>', form)
    generated = owner.post(
        f"/projects/{project.id}/posts/new",
        data={
            "topic": "Fresh bread",
            "voice": f"custom:{voice.id}",
            "target_length": "short",
            "channel": "blog",
            "csrf_token": owner.csrf,
        },
    )
    assert generated.status_code in (302, 303), text(generated)[:500]
    with app.app_context():
        assert db.session.execute(db.select(Post.voice)).scalar_one() == f"custom:{voice.id}"
    job_page = generated.headers["Location"]
    assert "<dt>Voice</dt><dd>Bakery (brand voice)</dd>" in text(owner.get(job_page))
    owner.post(f"{team.url}/{voice.id}/delete", data={"csrf_token": owner.csrf})
    assert "<dd>a deleted brand voice</dd>" in text(owner.get(job_page))


def test_the_new_post_form_disables_voices_below_starter(app, team):
    owner = signed_in(app, team.owner.email)
    create(owner, team)
    voice = the_voice(app)
    project = make_team_project(app, team, team.owner)
    with app.app_context():
        accounts.get_user(team.owner.id).subscription_tier = "free"
        db.session.commit()
    form = text(owner.get(f"/projects/{project.id}/posts/new"))
    assert re.search(
        rf'<option value="custom:{voice.id}"\s+disabled>Bakery — on Starter and above', form
    )
