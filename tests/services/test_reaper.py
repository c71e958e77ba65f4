"""Stuck jobs: a queued job whose entry in Redis was lost (Redis restarted without its
data) is failed with a reason by the reaper, its quota released, so it never blocks the
plan. Real Redis: the job's RQ keys are deleted, as a wiped Redis would have them."""

from __future__ import annotations

import io
from datetime import timedelta

from rq.job import Job as RQJob

from webapp.extensions import db
from webapp.models import Job, Project, Source
from webapp.services import accounts, reaper, sources
from webapp.services.queue import queue_name
from webapp.timeutil import utcnow

from .test_quota import NOTHING, counts, rows, submit


def lose_from_redis(app, redis_client, job_id: str) -> None:
    """What a Redis restarted without its data leaves of the job: nothing."""
    with app.app_context():
        queue_key = f"rq:queue:{queue_name()}"
    assert redis_client.exists(RQJob.key_for(job_id))
    redis_client.delete(RQJob.key_for(job_id), queue_key)


def age(app, job_id: str, seconds: int = 120) -> None:
    with app.app_context():
        db.session.execute(
            db.update(Job)
            .where(Job.id == job_id)
            .values(updated_at=utcnow() - timedelta(seconds=seconds))
        )
        db.session.commit()


def test_a_queued_generation_lost_from_redis_is_failed_and_the_user_can_submit_again(
    app, holder, redis_client
):
    job_id = submit(app, holder)
    lose_from_redis(app, redis_client, job_id)
    age(app, job_id)
    with app.app_context():
        assert reaper.reap_stale_jobs() == 1
    job, post = rows(app, job_id)
    assert job.status == post.status == "failed"
    assert job.error_message.startswith("The job was lost from the queue")
    assert "nothing was charged" in post.error_message
    assert counts(app, holder.id) == NOTHING
    submit(app, holder, topic="Try again")


def test_a_queued_job_still_in_the_queue_or_lost_only_just_now_is_left_alone(
    app, holder, redis_client
):
    waiting = submit(app, holder)
    age(app, waiting)  # old, but its RQ job is still there: a worker will take it
    with app.app_context():
        assert reaper.reap_stale_jobs() == 0
        db.session.execute(db.delete(Job))
        db.session.commit()
    fresh = submit(app, holder, topic="Just submitted")
    lose_from_redis(app, redis_client, fresh)  # gone, but younger than JOB_STALE_SECONDS
    with app.app_context():
        assert reaper.reap_stale_jobs() == 0
    assert rows(app, fresh)[0].status == "queued"


def test_a_lost_parse_job_fails_its_source_with_a_reason(app, holder, redis_client):
    with app.app_context():
        user = accounts.get_user(holder.id)
        project = db.session.get(Project, holder.project.id)
        source = sources.add_upload(user, project, "notes.txt", io.BytesIO(b"Some notes."))
        source_id, job_id = source.id, source.job_id
    lose_from_redis(app, redis_client, job_id)
    age(app, job_id)
    with app.app_context():
        assert reaper.reap_stale_jobs() == 1
        source = db.session.get(Source, source_id)
        assert source.status == "failed" and "lost from the queue" in source.error_message
        assert db.session.get(Job, job_id).status == "failed"


def test_reading_a_lost_job_fails_it(app, holder, redis_client):
    job_id = submit(app, holder)
    lose_from_redis(app, redis_client, job_id)
    age(app, job_id)
    with app.app_context():
        job = reaper.repair_if_stale(db.session.get(Job, job_id))
        assert job.status == "failed" and "lost from the queue" in job.error_message
    assert counts(app, holder.id) == NOTHING
