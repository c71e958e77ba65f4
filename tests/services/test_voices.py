"""Brand voices in the services: managed by admins and the owner on starter and above,
checked in generation requests, and sent to the model as instructions (the loopback
model server records the system prompt it received)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from webapp.errors import AppError
from webapp.extensions import db
from webapp.models import BrandVoice, Post, Workspace
from webapp.services import (
    account_deletion,
    accounts,
    generation_jobs,
    posts,
    voices,
    workspaces,
)
from webapp.services.generation import Brief
from webapp.services.generation.prompts import system_message

from ..factories import DEFAULT_PASSWORD, add_member, make_team_project, make_workspace
from ..voice_helpers import person

pytestmark = pytest.mark.usefixtures("db")

TONE = "Warm and plain-spoken, like a shopkeeper who knows every regular by name."
EXAMPLE = "Our bread comes out at seven. Come early; the rye never lasts past nine."


@pytest.fixture
def team(app, idle_queue):
    """A starter owner's workspace with an admin and an editor, and a project in it."""
    owner = person(app, "owner@example.com", plan="starter")[0]
    admin = person(app, "admin@example.com")[0]
    editor = person(app, "editor@example.com")[0]
    workspace = make_workspace(app, owner)
    add_member(app, workspace, admin, "admin")
    add_member(app, workspace, editor, "editor")
    project = make_team_project(app, workspace, owner)
    return SimpleNamespace(
        owner=owner, admin=admin, editor=editor, workspace=workspace, project=project
    )


def create(app, person, workspace_id, **fields):
    with app.app_context():
        workspace = db.session.get(Workspace, workspace_id)
        voice = voices.create_voice(
            workspace,
            accounts.get_user(person.id),
            **{"name": "Bakery", "description": TONE, **fields},
        )
        return voice.id


def refused(app, call) -> AppError:
    with app.app_context(), pytest.raises(AppError) as error:
        call()
    return error.value


def test_an_admin_creates_a_voice_kept_with_its_lists(app, team):
    voice_id = create(
        app, team.admin, team.workspace.id, dos=[" Use first names "], examples=[EXAMPLE]
    )
    with app.app_context():
        voice = db.session.get(BrandVoice, voice_id)
        assert (voice.name, voice.description) == ("Bakery", TONE)
        assert (
            voice.dos == ["Use first names"] and voice.donts == [] and voice.examples == [EXAMPLE]
        )
        assert voice.created_by == team.admin.id and voice.name_key == "bakery"


def test_an_editor_may_not_manage_voices(app, team):
    error = refused(app, lambda: create(app, team.editor, team.workspace.id))
    assert error.code == "INSUFFICIENT_ROLE"


def test_a_free_workspace_cannot_create_a_voice(app, team):
    with app.app_context():
        accounts.get_user(team.owner.id).subscription_tier = "free"
        db.session.commit()
    error = refused(app, lambda: create(app, team.owner, team.workspace.id))
    assert (error.code, error.status) == ("VOICE_NOT_AVAILABLE", 403)


@pytest.mark.parametrize("name", ["Bakery", "BAKERY", "  bakery "])
def test_names_are_unique_in_a_workspace_whatever_the_case(app, team, name):
    create(app, team.owner, team.workspace.id)
    error = refused(app, lambda: create(app, team.owner, team.workspace.id, name=name))
    assert error.code == "VALIDATION_ERROR"
    assert error.errors[0]["loc"] == ["body", "name"]


@pytest.mark.parametrize("name", ["Professional", "gen_z", "Gen Z"])
def test_built_in_names_are_reserved(app, team, name):
    error = refused(app, lambda: create(app, team.owner, team.workspace.id, name=name))
    assert error.errors[0]["loc"] == ["body", "name"]


@pytest.mark.parametrize(
    "fields,loc",
    [
        ({"name": "n" * 61}, ["body", "name"]),
        ({"description": "d" * 1001}, ["body", "description"]),
        ({"dos": ["x"] * 11}, ["body", "dos"]),
        ({"donts": ["ok", "y" * 201]}, ["body", "donts", 1]),
        ({"examples": ["e"] * 4}, ["body", "examples"]),
        ({"examples": ["e" * 2001]}, ["body", "examples", 0]),
    ],
)
def test_limits_are_checked_at_the_field(app, team, fields, loc):
    error = refused(app, lambda: create(app, team.owner, team.workspace.id, **fields))
    assert error.code == "VALIDATION_ERROR" and error.errors[0]["loc"] == loc


def test_the_guide_holds_every_part_of_the_voice(app, team):
    voice_id = create(
        app,
        team.owner,
        team.workspace.id,
        dos=["Name the bread"],
        donts=["Say 'artisanal'"],
        examples=[EXAMPLE],
    )
    with app.app_context():
        voice, guide = voices.brief_voice(f"custom:{voice_id}")
    assert voice == f"custom:{voice_id}"
    for part in ("Bakery", TONE, "Name the bread", "Say 'artisanal'", EXAMPLE):
        assert part in guide


def test_a_deleted_voice_falls_back_to_professional(app, team):
    voice_id = create(app, team.owner, team.workspace.id)
    with app.app_context():
        voices.delete_voice(db.session.get(BrandVoice, voice_id), accounts.get_user(team.owner.id))
        assert voices.brief_voice(f"custom:{voice_id}") == ("professional", "")
    message = system_message(Brief(topic="Rye", voice="professional"))["content"]
    assert "professional voice: clear, confident and precise" in message


def test_another_workspaces_voice_is_refused_at_the_voice_field(app, team):
    elsewhere = make_workspace(app, team.owner, name="Other team")
    voice_id = create(app, team.owner, elsewhere.id)
    error = refused(
        app,
        lambda: posts.request_generation(
            accounts.get_user(team.owner.id),
            project_id=team.project.id,
            topic="Rye",
            voice=f"custom:{voice_id}",
        ),
    )
    assert error.code == "VALIDATION_ERROR" and error.errors[0]["loc"] == ["body", "voice"]


def test_the_model_gets_the_voice_in_its_system_prompt(app, team, app_config, llm_server):
    voice_id = create(app, team.admin, team.workspace.id, examples=[EXAMPLE], dos=["Be brief"])
    app_config(
        LLM_MODEL="openai/fake-model",
        LLM_API_BASE=llm_server.url,
        LLM_API_KEY="sk-fake",
        LLM_RETRY_BASE_SECONDS=0.01,
        LLM_MAX_RETRIES=1,
        LLM_TIMEOUT_SECONDS=10,
    )
    with app.app_context():
        job = posts.request_generation(
            accounts.get_user(team.editor.id),
            project_id=team.project.id,
            topic="Fresh bread every morning",
            voice=f"custom:{voice_id}",
            channel="linkedin",
            target_length="short",
        )
        generation_jobs.run_generation(job.id)
        post = db.session.execute(db.select(Post).where(Post.job_id == job.id)).scalar_one()
        assert post.status == "completed", post.error_message
        assert post.voice == f"custom:{voice_id}"
    system = llm_server.requests[0]["messages"][0]
    assert system["role"] == "system"
    assert TONE in system["content"] and EXAMPLE in system["content"]
    assert "Be brief" in system["content"] and "Bakery" in system["content"]


def test_voices_go_with_their_workspace_and_outlive_their_creator(app, team):
    voice_id = create(app, team.admin, team.workspace.id)
    with app.app_context():
        account_deletion.delete_account(accounts.get_user(team.admin.id), DEFAULT_PASSWORD)
        assert db.session.get(BrandVoice, voice_id).created_by is None
        workspaces.delete_workspace(
            db.session.get(Workspace, team.workspace.id), accounts.get_user(team.owner.id)
        )
        assert db.session.get(BrandVoice, voice_id) is None
