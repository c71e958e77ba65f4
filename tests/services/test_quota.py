"""Quota reservations: a submit reserves a post under the plan holder's lock; the job's
completion charges it once, in the same commit that completes the post and the job; a
failure, a cancel, a dead worker or a failed enqueue releases it. Jobs go to a queue no
worker listens to (they stay queued) and are run in this process when a test needs it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from webapp import create_app
from webapp.errors import AppError, ServiceUnavailable
from webapp.extensions import db
from webapp.models import Job, Post, Usage
from webapp.services import accounts, generation_jobs, plans, posts, quota, reaper
from webapp.timeutil import utcnow

from ..conftest import build_test_config


def submit(app, holder, topic="Pricing pages", **fields) -> str:
    """Request a generation as the holder; the job's id."""
    with app.app_context():
        user = accounts.get_user(holder.id)
        return posts.request_generation(
            user, project_id=holder.project.id, topic=topic, voice="casual", **fields
        ).id


def counts(app, holder_id) -> dict:
    with app.app_context():
        return {
            "used": plans.posts_used_by(holder_id),
            "reserved": quota.posts_reserved(holder_id),
            "running": quota.running_post_jobs(holder_id),
        }


def rows(app, job_id) -> tuple[Job, Post]:
    with app.app_context():
        job = db.session.get(Job, job_id)
        post = db.session.execute(db.select(Post).where(Post.job_id == job_id)).scalar_one()
        db.session.expunge_all()
        return job, post


NOTHING = {"used": 0, "reserved": 0, "running": 0}


def test_a_submit_reserves_one_post_and_takes_the_free_plans_one_slot(app, holder):
    submit(app, holder)
    assert counts(app, holder.id) == {"used": 0, "reserved": 1, "running": 1}
    with pytest.raises(AppError) as refused:
        submit(app, holder, topic="Another topic")
    assert refused.value.code == "CONCURRENT_LIMIT_EXCEEDED" and refused.value.status == 429


def test_a_failed_generation_releases_its_reservation(app, holder):
    job_id = submit(app, holder)
    with app.app_context():
        generation_jobs.record_failure_for_job(job_id, "The model provider refused the request.")
    job, post = rows(app, job_id)
    assert job.status == post.status == "failed"
    assert counts(app, holder.id) == NOTHING
    submit(app, holder, topic="Next topic")  # the slot is free again


def test_cancel_releases_the_reservation(app, holder):
    job_id = submit(app, holder)
    with app.app_context():
        generation_jobs.cancel(db.session.get(Job, job_id))
    job, post = rows(app, job_id)
    assert job.status == "cancelled" and post.status == "failed"
    assert counts(app, holder.id) == NOTHING


def test_the_reaper_releases_a_dead_workers_reservation(app, holder):
    job_id = submit(app, holder)
    with app.app_context():
        db.session.execute(
            db.update(Job)
            .where(Job.id == job_id)
            .values(status="processing", updated_at=utcnow() - timedelta(seconds=120))
        )
        db.session.commit()
        assert reaper.reap_stale_jobs() == 1
    job, post = rows(app, job_id)
    assert job.status == "failed" and "Nothing was charged" in post.error_message
    assert counts(app, holder.id) == NOTHING


def test_a_failed_enqueue_keeps_no_job_and_no_reservation(app, database_url, holder):
    redis_down = create_app(build_test_config(database_url, REDIS_URL="redis://127.0.0.1:9/0"))
    with pytest.raises(ServiceUnavailable):
        submit(redis_down, holder)
    with redis_down.app_context():
        db.engine.dispose()
    assert counts(app, holder.id) == NOTHING
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Job)).scalar() == 0
    submit(app, holder)  # Redis back: accepted


def test_a_completed_generation_is_charged_exactly_once(app, holder):
    job_id = submit(app, holder)
    with app.app_context():
        generation_jobs.run_generation(job_id)
    job, post = rows(app, job_id)
    assert job.status == post.status == "completed" and post.charged
    assert counts(app, holder.id) == {"used": 1, "reserved": 0, "running": 0}
    with app.app_context():
        assert quota.charge(job_id) == 0
        generation_jobs.run_generation(job_id)  # run again (a redelivered job): nothing
        generation_jobs.record_failure_for_job(job_id, "late failure report")
    assert counts(app, holder.id)["used"] == 1
    assert rows(app, job_id)[0].status == "completed"


def test_test_mode_takes_a_slot_but_reserves_and_charges_nothing(app, holder):
    job_id = submit(app, holder, test_mode=True)
    assert counts(app, holder.id) == {"used": 0, "reserved": 0, "running": 1}
    with app.app_context():
        generation_jobs.run_generation(job_id)
    assert counts(app, holder.id) == NOTHING


def test_the_final_transition_is_one_commit(app, holder):
    """Every commit of the job is read back from another connection: the post, the charge
    and the job are never seen half done (completed post with a running job, say)."""
    job_id = submit(app, holder)
    seen = []

    def read_back(session):
        with db.engine.connect() as connection:
            post = connection.execute(db.select(Post.status).where(Post.job_id == job_id))
            job = connection.execute(db.select(Job.status).where(Job.id == job_id))
            used = connection.execute(db.select(db.func.coalesce(db.func.sum(Usage.posts_used), 0)))
            seen.append((post.scalar_one(), job.scalar_one(), used.scalar_one()))

    with app.app_context():
        event.listen(db.session, "after_commit", read_back)
        try:
            generation_jobs.run_generation(job_id)
        finally:
            event.remove(db.session, "after_commit", read_back)
    assert seen[-1] == ("completed", "completed", 1)
    assert set(seen) <= {("generating", "processing", 0), ("completed", "completed", 1)}, seen


def test_a_generation_whose_post_was_deleted_before_it_ran_ends_and_releases(app, holder):
    job_id = submit(app, holder)
    with app.app_context():
        db.session.execute(db.delete(Post).where(Post.job_id == job_id))
        db.session.commit()
        generation_jobs.run_generation(job_id)
        job = db.session.get(Job, job_id)
        assert job.status == "failed" and job.error_message.startswith("The post was deleted")
    assert counts(app, holder.id) == NOTHING
