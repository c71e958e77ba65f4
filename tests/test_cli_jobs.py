"""`flask jobs failed` and `flask jobs retry`: an operator lists failed jobs and runs a
failed job's work again through the job registry, with the real worker and Redis queue."""

from __future__ import annotations

import pytest

from webapp.extensions import db
from webapp.models import Job, Post, Project, Source
from webapp.services import accounts, generation_jobs, plans, posts, quota, source_reading, sources

from .conftest import TEST_KEY_PREFIX, wait_for
from .factories import make_project, make_user

pytestmark = pytest.mark.usefixtures("db")  # every test here reads or writes the database

REFUSAL = "The model provider refused the request."


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["jobs", *args])


@pytest.fixture
def idle_queue(app, monkeypatch):
    """Jobs queued while this is on go to a queue no worker listens to; `off()` sends
    later ones to the worker's queue again."""
    monkeypatch.setitem(app.config, "REDIS_KEY_PREFIX", f"{TEST_KEY_PREFIX}-idle")

    class Switch:
        @staticmethod
        def off():
            app.config["REDIS_KEY_PREFIX"] = TEST_KEY_PREFIX

    return Switch


@pytest.fixture
def pages(web_pages, app_config):
    """The loopback site, which URL imports may fetch."""
    app_config(ALLOWED_PRIVATE_HOSTS=[web_pages.host_port])
    return web_pages


@pytest.fixture
def owner(app):
    user = make_user(app, email="writer@example.com")
    user.project = make_project(app, user)
    return user


def failed_generation(app, owner, topic="Pricing pages") -> str:
    """A generation that failed the way a refused model request fails it."""
    with app.app_context():
        job = posts.request_generation(
            accounts.get_user(owner.id), project_id=owner.project.id, topic=topic, voice="casual"
        )
        generation_jobs.record_failure_for_job(job.id, REFUSAL)
        return job.id


def failed_url_import(app, owner, url: str) -> tuple[str, str]:
    """A URL import that failed; (job id, source id)."""
    with app.app_context():
        user = accounts.get_user(owner.id)
        project = db.session.get(Project, owner.project.id)
        source = sources.add_url(user, project, url)
        source_reading.record_failure(source.id, "The page answered 404 Not Found.")
        return source.job_id, source.id


def job_row(app, job_id) -> Job:
    with app.app_context():
        job = db.session.get(Job, job_id)
        db.session.expunge_all()
        return job


def test_failed_lists_failed_jobs_latest_first_with_their_reason(
    app, cli, owner, idle_queue, pages
):
    first = failed_generation(app, owner, topic="First")
    import_job, _ = failed_url_import(app, owner, pages.url + "/gone")
    with app.app_context():  # a completed job is not listed
        generation_jobs.run_generation(
            posts.request_generation(
                accounts.get_user(owner.id),
                project_id=owner.project.id,
                topic="Fine",
                voice="casual",
            ).id
        )
    result = cli("failed")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(import_job) and "url_import" in lines[0]
    assert "writer@example.com" in lines[0] and "404 Not Found" in lines[0]
    assert lines[1].startswith(first) and "content_generation" in lines[1]
    assert REFUSAL in lines[1] and " UTC " in lines[1]

    only = cli("failed", "--type", "content_generation")
    assert only.exit_code == 0 and only.output.splitlines()[0].startswith(first)
    assert len(only.output.splitlines()) == 1
    assert len(cli("failed", "--limit", "1").output.splitlines()) == 1
    assert cli("failed", "--type", "nonsense").exit_code == 2


def test_failed_says_so_when_there_are_none(cli):
    result = cli("failed")
    assert result.exit_code == 0 and result.output.strip() == "No failed jobs."


def test_retry_writes_the_post_again_and_charges_it_once(app, cli, owner, idle_queue, worker):
    failed = failed_generation(app, owner)
    idle_queue.off()
    result = cli("retry", failed)
    assert result.exit_code == 0, result.output
    new_id = result.output.split("Queued job ")[1].split()[0]
    assert new_id != failed
    job = wait_for(lambda: (j := job_row(app, new_id)).is_finished and j, timeout=60)
    assert job.status == "completed", worker.log_path.read_text()[-3000:]
    with app.app_context():
        post = db.session.execute(db.select(Post).where(Post.job_id == new_id)).scalar_one()
        assert post.status == "completed" and post.charged and post.error_message is None
        assert plans.posts_used_by(owner.id) == 1 and quota.posts_reserved(owner.id) == 0
    assert job_row(app, failed).status == "failed"  # the old job keeps its history
    # The old job's post now belongs to the new job: retrying it again is refused.
    again = cli("retry", failed)
    assert again.exit_code == 1 and "is gone" in again.output


def test_retry_counts_against_the_plans_limits(app, cli, owner, idle_queue):
    failed = failed_generation(app, owner)
    failed_generation(app, owner, topic="Another")  # failed: holds no slot
    with app.app_context():  # the free plan runs one generation at a time
        posts.request_generation(
            accounts.get_user(owner.id),
            project_id=owner.project.id,
            topic="Running",
            voice="casual",
        )
    result = cli("retry", failed)
    assert result.exit_code == 1
    assert "generation(s) at a time" in result.output
    with app.app_context():
        post = db.session.execute(db.select(Post).where(Post.job_id == failed)).scalar_one()
        assert post.status == "failed" and post.error_message == REFUSAL
        assert quota.posts_reserved(owner.id) == 1  # the running one's only
        assert db.session.execute(db.select(db.func.count()).select_from(Job)).scalar() == 3


def test_retry_imports_the_page_again(app, cli, owner, idle_queue, worker, pages):
    pages.pages["/back"] = (
        200,
        {"Content-Type": "text/plain"},
        b"The page is back, with words worth reading.",
    )
    failed, source_id = failed_url_import(app, owner, pages.url + "/back")
    idle_queue.off()
    result = cli("retry", failed)
    assert result.exit_code == 0, result.output
    new_id = result.output.split("Queued job ")[1].split()[0]
    job = wait_for(lambda: (j := job_row(app, new_id)).is_finished and j, timeout=30)
    assert (job.status, job.job_type, job.result) == (
        "completed",
        "url_import",
        {"source_id": source_id},
    )
    with app.app_context():
        source = db.session.get(Source, source_id)
        assert source.status == "parsed" and "worth reading" in source.parsed_text
        assert source.job_id == new_id and source.error_message is None


def test_retry_refuses_a_job_that_did_not_fail_or_whose_work_is_gone(
    app, cli, owner, idle_queue, pages
):
    with app.app_context():
        queued = posts.request_generation(
            accounts.get_user(owner.id), project_id=owner.project.id, topic="Queued", voice="casual"
        ).id
    result = cli("retry", queued)
    assert result.exit_code == 1 and "is queued; only failed jobs" in result.output

    failed, source_id = failed_url_import(app, owner, pages.url + "/gone")
    with app.app_context():
        sources.delete_source(db.session.get(Source, source_id))
    result = cli("retry", failed)
    assert result.exit_code == 1 and "is gone" in result.output

    result = cli("retry", "0" * 24)
    assert result.exit_code == 1 and "There is no job" in result.output
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Job)).scalar() == 2
