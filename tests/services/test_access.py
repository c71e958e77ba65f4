"""Fetch-and-authorize against the real database: the owner gets the row; another user's
row, a missing one and a malformed id all raise the same NotFound with the caller's code
and message (a malformed id without touching the database); and every service's
`get_*_or_404` answers with its own code."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from webapp.errors import ErrorCode, NotFound
from webapp.extensions import db
from webapp.models import ApiKey, Job, LinkOpportunity, Post, Project, Source
from webapp.services import accounts, api_keys, jobs, links, posts, projects, sources
from webapp.services.access import get_in_project_or_404, get_owned_or_404, owned
from webapp.vocabulary import FileType, JobType, PostStatus, SourceStatus, Voice

from ..factories import make_project, make_user

pytestmark = pytest.mark.usefixtures("db")  # every test here reads or writes the database

MISSING_ID = "507f1f77bcf86cd799439017"
MALFORMED_IDS = [
    "nope",
    "",
    "507F1F77BCF86CD799439017",
    "507f1f77bcf86cd79943901",
    "507f1f77bcf86cd7994390170",
    "507f1f77bcf86cd79943901'",
    "../" * 8,
]


def fill(app, user, project) -> SimpleNamespace:
    """One row of each owned kind in `project`, as ids."""
    with app.app_context():
        owner = accounts.get_user(user.id)
        source = Source(
            project_id=project.id,
            user_id=user.id,
            filename="notes.txt",
            file_type=FileType.TXT,
            file_size=10,
            status=SourceStatus.PARSED,
        )
        post = Post(
            project_id=project.id,
            user_id=user.id,
            topic="Pricing",
            voice=Voice.PROFESSIONAL,
            status=PostStatus.COMPLETED,
        )
        job = jobs.create_job(
            owner, JobType.CONTENT_GENERATION, db.session.get(Project, project.id)
        )
        db.session.add_all([source, post])
        db.session.commit()
        link = links.create_link(
            owner, db.session.get(Project, project.id), "https://example.com/guide", ["guide"]
        )
        key, _ = api_keys.create_api_key(owner, "CI")
        return SimpleNamespace(
            project=project.id, source=source.id, post=post.id, job=job.id, link=link.id, key=key.id
        )


@pytest.fixture
def alice(app):
    user = make_user(app, email="alice@example.com")
    return SimpleNamespace(id=user.id, rows=fill(app, user, make_project(app, user)))


@pytest.fixture
def bob(app):
    user = make_user(app, email="bob@example.com")
    return SimpleNamespace(id=user.id, rows=fill(app, user, make_project(app, user)))


def user_of(person):
    return accounts.get_user(person.id)


MODELS = [
    (Project, "project"),
    (Source, "source"),
    (Post, "post"),
    (Job, "job"),
    (LinkOpportunity, "link"),
    (ApiKey, "key"),
]


@pytest.mark.parametrize(("model", "row"), MODELS)
def test_the_owner_gets_the_row(app, alice, model, row):
    with app.app_context():
        found = get_owned_or_404(model, getattr(alice.rows, row), user_of(alice))
        assert isinstance(found, model) and found.id == getattr(alice.rows, row)
        assert found.user_id == alice.id


@pytest.mark.parametrize(("model", "row"), MODELS)
def test_another_users_row_is_not_found_with_the_callers_code(app, alice, bob, model, row):
    with app.app_context(), pytest.raises(NotFound) as caught:
        get_owned_or_404(
            model,
            getattr(alice.rows, row),
            user_of(bob),
            code=ErrorCode.LINK_NOT_FOUND,
            message="Thing not found.",
        )
    error = caught.value
    assert (error.status, error.code, error.message) == (404, "LINK_NOT_FOUND", "Thing not found.")


def test_without_a_code_the_answer_is_the_generic_not_found(app, alice, bob):
    with app.app_context(), pytest.raises(NotFound) as caught:
        get_owned_or_404(Project, alice.rows.project, user_of(bob))
    assert (caught.value.status, caught.value.code) == (404, "NOT_FOUND")


def test_a_missing_row_answers_like_another_users(app, alice):
    with app.app_context(), pytest.raises(NotFound) as caught:
        get_owned_or_404(Project, MISSING_ID, user_of(alice), code="PROJECT_NOT_FOUND")
    assert caught.value.code == "PROJECT_NOT_FOUND"


@pytest.mark.parametrize("bad_id", MALFORMED_IDS)
def test_a_malformed_id_is_not_found_without_a_query(app, alice, sql_statements, bad_id):
    with app.app_context():
        user = user_of(alice)
        with sql_statements() as executed, pytest.raises(NotFound) as caught:
            get_owned_or_404(
                Project, bad_id, user, code="PROJECT_NOT_FOUND", message="Project not found."
            )
    assert caught.value.code == "PROJECT_NOT_FOUND" and executed == []


def test_extra_criteria_narrow_what_is_found(app, alice):
    with app.app_context():
        user = user_of(alice)
        live = ApiKey.revoked_at.is_(None)
        assert get_owned_or_404(ApiKey, alice.rows.key, user, live).id == alice.rows.key
        api_keys.revoke_api_key(db.session.get(ApiKey, alice.rows.key))
        with pytest.raises(NotFound):
            get_owned_or_404(ApiKey, alice.rows.key, user, live)


def test_a_child_is_found_only_through_its_own_project(app, alice):
    other = make_project(app, alice, name="Other")
    with app.app_context():
        user = user_of(alice)
        home, away = db.session.get(Project, alice.rows.project), db.session.get(Project, other.id)
        found = get_in_project_or_404(Source, alice.rows.source, home, user)
        assert found.id == alice.rows.source
        with pytest.raises(NotFound) as caught:
            get_in_project_or_404(
                Source,
                alice.rows.source,
                away,
                user,
                code="SOURCE_NOT_FOUND",
                message="Source not found.",
            )
        assert (caught.value.code, caught.value.message) == (
            "SOURCE_NOT_FOUND",
            "Source not found.",
        )


def test_a_child_of_another_users_project_is_not_found_through_it(app, alice, bob):
    with app.app_context():
        bobs_project = db.session.get(Project, bob.rows.project)
        with pytest.raises(NotFound):
            get_in_project_or_404(Source, alice.rows.source, bobs_project, user_of(bob))
        with pytest.raises(NotFound):  # bob's own project, alice as the caller
            get_in_project_or_404(Source, bob.rows.source, bobs_project, user_of(alice))


def test_owned_selects_only_the_users_rows(app, alice, bob):
    with app.app_context():
        for model, row in MODELS:
            ids = (
                db.session.execute(owned(model, user_of(alice)).with_only_columns(model.id))
                .scalars()
                .all()
            )
            assert ids == [getattr(alice.rows, row)], model


SERVICES = [
    (
        lambda rows, user: projects.get_project_or_404(rows.project, user),
        "PROJECT_NOT_FOUND",
        "Project not found.",
    ),
    (
        lambda rows, user: sources.get_source_or_404(rows.source, user),
        "SOURCE_NOT_FOUND",
        "Source not found.",
    ),
    (
        lambda rows, user: posts.get_post_or_404(rows.post, user),
        "POST_NOT_FOUND",
        "Post not found.",
    ),
    (lambda rows, user: jobs.get_job_or_404(rows.job, user), "JOB_NOT_FOUND", "Job not found."),
    (
        lambda rows, user: links.get_link_or_404(rows.link, user),
        "LINK_NOT_FOUND",
        "Link opportunity not found.",
    ),
    (
        lambda rows, user: api_keys.get_api_key_or_404(rows.key, user),
        "NOT_FOUND",
        "API key not found.",
    ),
]


@pytest.mark.parametrize(("fetch", "code", "message"), SERVICES)
def test_each_service_keeps_its_code_and_message(app, alice, bob, fetch, code, message):
    with app.app_context():
        assert fetch(alice.rows, user_of(alice)) is not None
        with pytest.raises(NotFound) as caught:
            fetch(alice.rows, user_of(bob))
        assert (caught.value.status, caught.value.code, caught.value.message) == (
            404,
            code,
            message,
        )
        malformed = SimpleNamespace(**dict.fromkeys(vars(alice.rows), "x"))
        with pytest.raises(NotFound) as caught:
            fetch(malformed, user_of(alice))
        assert caught.value.code == code


def test_sources_and_links_fetched_through_a_project(app, alice):
    other = make_project(app, alice, name="Other")
    with app.app_context():
        user = user_of(alice)
        home, away = db.session.get(Project, alice.rows.project), db.session.get(Project, other.id)
        assert (
            sources.get_source_or_404(alice.rows.source, user, project=home).id == alice.rows.source
        )
        assert links.get_link_or_404(alice.rows.link, user, project=home).id == alice.rows.link
        with pytest.raises(NotFound) as caught:
            sources.get_source_or_404(alice.rows.source, user, project=away)
        assert caught.value.code == "SOURCE_NOT_FOUND"
        with pytest.raises(NotFound) as caught:
            links.get_link_or_404(alice.rows.link, user, project=away)
        assert caught.value.code == "LINK_NOT_FOUND"


def test_a_revoked_api_key_is_not_found(app, alice):
    with app.app_context():
        user = user_of(alice)
        api_keys.revoke_api_key(api_keys.get_api_key_or_404(alice.rows.key, user))
        with pytest.raises(NotFound) as caught:
            api_keys.get_api_key_or_404(alice.rows.key, user)
        assert (caught.value.code, caught.value.message) == ("NOT_FOUND", "API key not found.")
