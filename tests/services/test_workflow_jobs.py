"""Generation jobs that write several posts, run in this process (jobs go to a queue no
worker listens to): a campaign pack is saved and charged in one commit, fails as a whole
when one of its posts fails (nothing charged, every post failed with the reason) and is
retried as a whole; its other posts are written from the blog post's outline. The
loopback model server stands in for the provider where the model matters."""

from __future__ import annotations

import pytest
from rq.job import Job as RQJob
from sqlalchemy import event

from webapp.extensions import db
from webapp.models import Job, Post, Usage
from webapp.services import accounts, generation_jobs, job_registry, jobs, posts, reaper
from webapp.services.llm import LLMError
from webapp.services.redis_conn import get_redis
from webapp.services.workflows import checkpoints
from webapp.tasks.generation import generate_post_task
from webapp.timeutil import utcnow

from .test_llm_writer import config  # noqa: F401  (a fixture)
from .test_quota import NOTHING, counts

SOURCE = (
    "Onboarding emails should arrive within minutes of sign-up, while interest is high. "
    "Product tours work best when each step shows the customer's own data. "
    "Customers who finish onboarding in the first week stay twice as long."
)


@pytest.fixture
def model(app, config, llm_server, monkeypatch):  # noqa: F811  (the fixture imported above)
    """The app's writer is the model behind the loopback server, which fails at once."""
    for key, value in config.items():
        monkeypatch.setitem(app.config, key, value)
    return llm_server


def submit(app, holder, workflow="campaign_pack", **fields) -> str:
    with app.app_context():
        user = accounts.get_user(holder.id)
        fields.setdefault("topic", "Onboarding new customers")
        return posts.request_generation(
            user, project_id=holder.project.id, voice="casual", workflow=workflow, **fields
        ).id


def job_posts(app, job_id) -> list[Post]:
    with app.app_context():
        found = generation_jobs.posts_of(job_id)
        db.session.expunge_all()
        return found


def job_row(app, job_id) -> Job:
    with app.app_context():
        job = db.session.get(Job, job_id)
        db.session.expunge(job)
        return job


def run(app, job_id) -> None:
    with app.app_context():
        generation_jobs.run_generation(job_id)


def confirm(app, holder, job_id) -> None:
    with app.app_context():
        job = db.session.get(Job, job_id)
        checkpoints.confirm(job, accounts.get_user(holder.id), job.item_version)


def test_a_campaign_is_saved_and_charged_in_one_commit(app, holder):
    """Every commit is read back from another connection: the four posts, their four
    charges and the job are never seen half done."""
    job_id = submit(app, holder)
    assert counts(app, holder.id) == {"used": 0, "reserved": 4, "running": 1}
    seen = []

    def read_back(session):
        with db.engine.connect() as connection:
            statuses = connection.execute(
                db.select(Post.status).where(Post.job_id == job_id).order_by(Post.position)
            )
            job = connection.execute(db.select(Job.status).where(Job.id == job_id))
            used = connection.execute(db.select(db.func.coalesce(db.func.sum(Usage.posts_used), 0)))
            seen.append((tuple(statuses.scalars()), job.scalar_one(), used.scalar_one()))

    with app.app_context():
        event.listen(db.session, "after_commit", read_back)
        try:
            generation_jobs.run_generation(job_id)
        finally:
            event.remove(db.session, "after_commit", read_back)
    assert seen[-1] == (("completed",) * 4, "completed", 4)
    assert set(seen) <= {(("generating",) * 4, "processing", 0), seen[-1]}, seen
    assert counts(app, holder.id) == {"used": 4, "reserved": 0, "running": 0}
    written = job_posts(app, job_id)
    assert all(p.charged for p in written)
    assert job_row(app, job_id).result == {
        "post_id": written[0].id,
        "post_ids": [p.id for p in written],
    }


def test_the_other_posts_of_a_campaign_are_written_from_the_blog_outline(app, holder, model):
    job_id = submit(app, holder)
    run(app, job_id)
    assert job_row(app, job_id).status == "completed"
    outline_request = model.requests[0]["messages"][-1]["content"]
    assert "sections" in outline_request
    written = job_posts(app, job_id)
    headings = [s["heading"] for s in written[0].content["sections"]]
    # Every call after the outline (the blog's parts, the thread, the LinkedIn post and
    # the newsletter) carries the blog's headings.
    later = [r["messages"][-1]["content"] for r in model.requests[1:]]
    assert len(later) >= 4
    assert all(all(h in prompt for h in headings) for prompt in later)


def test_a_campaign_whose_post_fails_fails_whole_and_charges_nothing(app, holder, model):
    job_id = submit(app, holder, review_outline=True)
    run(app, job_id)
    assert job_row(app, job_id).status == "slot_needed"
    confirm(app, holder, job_id)
    model.fail_next(500)  # one call of the resumed run fails, whichever post it is for
    with app.app_context(), pytest.raises(LLMError):
        generate_post_task(job_id)
    job = job_row(app, job_id)
    assert job.status == "failed" and job.error_message
    written = job_posts(app, job_id)
    assert [p.status for p in written] == ["failed"] * 4
    assert {p.error_message for p in written} == {job.error_message}
    assert not any(p.charged or p.content for p in written)
    assert counts(app, holder.id) == NOTHING

    # Retried, the four are written again under a new job, the agreed outline kept.
    with app.app_context():
        retried = job_registry.retry(job_id)
        assert retried.total_items == 4 and retried.checkpoint == job.checkpoint
        retried_id = retried.id
    assert counts(app, holder.id) == {"used": 0, "reserved": 4, "running": 1}
    run(app, retried_id)
    assert [p.status for p in job_posts(app, retried_id)] == ["completed"] * 4
    assert counts(app, holder.id) == {"used": 4, "reserved": 0, "running": 0}


def test_a_repurpose_whose_post_was_deleted_fails_with_the_reason(app, holder):
    blog = submit(app, holder, workflow="blog_post")
    run(app, blog)
    original = job_posts(app, blog)[0].id
    job_id = submit(
        app,
        holder,
        workflow="repurpose",
        topic=None,
        slots={"post_id": original, "channels": ["twitter", "linkedin"]},
    )
    with app.app_context():
        db.session.execute(db.delete(Post).where(Post.id == original))
        db.session.commit()
    run(app, job_id)
    job = job_row(app, job_id)
    assert job.status == "failed" and "post to repurpose was deleted" in job.error_message
    assert [p.status for p in job_posts(app, job_id)] == ["failed", "failed"]
    assert counts(app, holder.id) == {"used": 1, "reserved": 0, "running": 0}


def test_a_resumed_job_is_found_in_the_queue_under_its_new_entry(app, holder):
    """The reaper looks for a queued job's entry: after a confirm, the resumed one (the
    run that paused left its own)."""
    job_id = submit(
        app, holder, workflow="release_notes", review_outline=True, slots={"changes": SOURCE}
    )
    run(app, job_id)
    confirm(app, holder, job_id)
    with app.app_context():
        job = db.session.get(Job, job_id)
        entry = jobs.queue_entry_id(job)
        assert entry != job_id and RQJob.exists(entry, connection=get_redis())
        old = utcnow().replace(year=2020)
        db.session.execute(db.update(Job).where(Job.id == job_id).values(updated_at=old))
        db.session.commit()
        assert reaper.reap_stale_jobs() == 0
        RQJob.fetch(entry, connection=get_redis()).delete()
        assert reaper.reap_stale_jobs() == 1
    assert job_row(app, job_id).status == "failed"
    assert counts(app, holder.id) == NOTHING
