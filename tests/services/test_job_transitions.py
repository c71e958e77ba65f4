"""A job's final transition is one commit: the result, the post or source, the charge and
the job's status are saved together or not at all. A database that refuses to mark a job
completed (a trigger, installed for the test) leaves no charged post and no moved usage;
commits are counted and read back from another connection. Jobs go to a queue no worker
listens to and run in this process."""

from __future__ import annotations

import io
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from sqlalchemy import event, exc, text

from webapp.extensions import db
from webapp.models import Job, Post, Project, Source, Usage
from webapp.models.usage import QuotaReservation
from webapp.services import accounts, generation_jobs, job_registry, posts, source_reading, sources
from webapp.tasks.generation import generate_post_task

from ..conftest import TEST_KEY_PREFIX
from ..factories import make_project, make_user

pytestmark = pytest.mark.usefixtures("db")  # every test here reads or writes the database

SQLITE_TRIGGER = [
    """CREATE TRIGGER refuse_completion BEFORE UPDATE OF status ON jobs
                     WHEN NEW.status = 'completed'
                     BEGIN SELECT RAISE(ABORT, 'completion refused'); END"""
]
POSTGRES_TRIGGER = [
    """CREATE FUNCTION refuse_completion() RETURNS trigger AS $$
       BEGIN
         IF NEW.status = 'completed' THEN RAISE EXCEPTION 'completion refused'; END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER refuse_completion BEFORE UPDATE ON jobs FOR EACH ROW
       EXECUTE FUNCTION refuse_completion()""",
]
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS refuse_completion"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS refuse_completion ON jobs",
        "DROP FUNCTION IF EXISTS refuse_completion()",
    ],
}


@pytest.fixture
def holder(app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_KEY_PREFIX", f"{TEST_KEY_PREFIX}-idle")
    user = make_user(app, email="holder@example.com", plan="pro")
    return SimpleNamespace(id=user.id, project=make_project(app, user))


@pytest.fixture
def completion_refused(app):
    """While active, the database refuses to mark any job completed."""
    with app.app_context():
        dialect = db.engine.dialect.name
        with db.engine.begin() as connection:
            for statement in SQLITE_TRIGGER if dialect == "sqlite" else POSTGRES_TRIGGER:
                connection.execute(text(statement))
    yield
    with app.app_context(), db.engine.begin() as connection:
        for statement in DROP[dialect]:
            connection.execute(text(statement))


@contextmanager
def commits_seen(read):
    """Calls `read(connection)` from another connection after each commit of the session;
    yields the list of what it read."""
    seen = []

    def read_back(session):
        with db.engine.connect() as connection:
            seen.append(read(connection))

    event.listen(db.session, "after_commit", read_back)
    try:
        yield seen
    finally:
        event.remove(db.session, "after_commit", read_back)


def submit(app, holder, topic="Pricing pages") -> str:
    with app.app_context():
        return posts.request_generation(
            accounts.get_user(holder.id), project_id=holder.project.id, topic=topic, voice="casual"
        ).id


def generation_state(job_id):
    def read(connection):
        post = connection.execute(
            db.select(Post.status, Post.charged).where(Post.job_id == job_id)
        ).one()
        job = connection.execute(db.select(Job.status).where(Job.id == job_id)).scalar_one()
        used = connection.execute(
            db.select(db.func.coalesce(db.func.sum(Usage.posts_used), 0))
        ).scalar_one()
        reserved = connection.execute(
            db.select(db.func.count())
            .select_from(QuotaReservation)
            .where(QuotaReservation.job_id == job_id)
        ).scalar_one()
        return post.status, post.charged, job, used, reserved

    return read


def test_a_refused_completion_charges_nothing_and_fails_the_job(app, holder, completion_refused):
    job_id = submit(app, holder)
    with app.app_context():
        with pytest.raises(exc.DatabaseError):
            generate_post_task(job_id)  # the task records the failure, then re-raises
        with db.engine.connect() as connection:
            state = generation_state(job_id)(connection)
        job = db.session.get(Job, job_id)
        assert "Something went wrong on our side" in job.error_message
    # The post's content, its charge and the usage were rolled back with the job's status.
    assert state == ("failed", False, "failed", 0, 0)


def test_a_completed_generation_is_one_commit(app, holder):
    job_id = submit(app, holder)
    with app.app_context(), commits_seen(generation_state(job_id)) as seen:
        generation_jobs.run_generation(job_id)
    final = [s for s in seen if s[2] != "processing"]
    assert final == [("completed", True, "completed", 1, 0)], seen
    assert set(seen[:-1]) == {("generating", False, "processing", 0, 1)}, seen


def test_a_failure_and_a_cancel_are_one_commit_each(app, holder):
    failing, cancelled = submit(app, holder, "Fails"), submit(app, holder, "Cancelled")
    with app.app_context():
        with commits_seen(generation_state(failing)) as seen:
            generation_jobs.record_failure_for_job(failing, "The model provider refused.")
        assert seen == [("failed", False, "failed", 0, 0)]
        with commits_seen(generation_state(cancelled)) as seen:
            job_registry.cancel(db.session.get(Job, cancelled))
        assert seen == [("failed", False, "cancelled", 0, 0)]


def upload(app, holder) -> str:
    with app.app_context():
        return sources.add_upload(
            accounts.get_user(holder.id),
            db.session.get(Project, holder.project.id),
            "notes.txt",
            io.BytesIO(b"Notes worth parsing."),
        ).id


def source_state(source_id):
    def read(connection):
        source = connection.execute(
            db.select(Source.status, Source.job_id).where(Source.id == source_id)
        ).one()
        job = connection.execute(db.select(Job.status).where(Job.id == source.job_id)).scalar_one()
        return source.status, job

    return read


def test_a_parsed_source_and_its_completed_job_are_one_commit(app, holder):
    source_id = upload(app, holder)
    with app.app_context(), commits_seen(source_state(source_id)) as seen:
        source_reading.run_parse(source_id)
    assert seen[-1] == ("parsed", "completed")
    assert set(seen) <= {("parsing", "processing"), ("parsed", "completed")}, seen
    assert seen.count(("parsed", "completed")) == 1


def test_a_refused_parse_completion_leaves_no_parsed_source(app, holder, completion_refused):
    source_id = upload(app, holder)
    with app.app_context():
        with pytest.raises(exc.DatabaseError):
            source_reading.run_parse(source_id)
        with db.engine.connect() as connection:
            assert source_state(source_id)(connection) == ("parsing", "processing")
        with commits_seen(source_state(source_id)) as seen:
            source_reading.record_failure(source_id, "Could not be saved.")  # the task's last word
        assert seen == [("failed", "failed")]
