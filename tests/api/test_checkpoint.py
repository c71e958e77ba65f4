"""The outline checkpoint through the API, with the real `python worker.py` (one process)
and the offline writer: a generation with review_outline pauses after its outline
(slot_needed) holding no worker; its outline is edited (PATCH /jobs/{id}/slots) under
optimistic locking and confirmed (POST /jobs/{id}/confirm), and the posts follow the
edited outline. Wrong transitions, stale versions, the plan's concurrency, cancel and the
7-day expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rq.job import Job as RQJob

from webapp.extensions import db
from webapp.models import Job, Post, User
from webapp.services import reaper
from webapp.services.redis_conn import get_redis
from webapp.timeutil import utcnow

from ..conftest import wait_for
from .test_posts import worker_paused
from .test_workflows import CHANGELOG, SOURCE, Flow, error_of, headings_named


class Checkpoints(Flow):
    def paused(self, workflow="blog_post", **fields) -> dict:
        """A job asked with review_outline, once it waits at its outline."""
        if workflow == "release_notes" and "source_ids" not in fields:
            fields.setdefault("slots", {"changes": CHANGELOG, "version": "2.4.0"})
        elif "source_ids" not in fields:
            fields["source_ids"] = [self.source_id()]
        response = self.generate(workflow=workflow, review_outline=True, **fields)
        assert response.status_code == 202, response.get_json()
        return self.wait_status(response.get_json()["job_id"], "slot_needed")

    def source_id(self) -> str:
        if not hasattr(self, "_source"):
            self._source = self.parsed_source(SOURCE)
        return self._source

    def wait_status(self, job_id: str, status: str, timeout=60) -> dict:
        def reached():
            body = self.job(job_id).get_json()
            assert body["status"] not in {"failed", "cancelled"} - {status}, body
            return body if body["status"] == status else None

        try:
            return wait_for(reached, timeout=timeout, interval=0.1)
        except AssertionError:
            raise AssertionError(open(self.worker.log_path).read()[-4000:])

    def patch(self, job_id: str, item_version: int, *slots) -> object:
        return self.client.patch(
            f"/api/v1/jobs/{job_id}/slots",
            headers=self.headers,
            json={"item_version": item_version, "slots": list(slots)},
        )

    def confirm(self, job_id: str, item_version: int) -> object:
        return self.client.post(
            f"/api/v1/jobs/{job_id}/confirm",
            headers=self.headers,
            json={"item_version": item_version},
        )


@pytest.fixture
def cp(client, auth, worker):
    return Checkpoints(client, auth.headers(), worker)


@pytest.fixture
def pro(app, client, auth):
    """The signed-in user on the pro plan (10 jobs at a time)."""
    headers = auth.headers()
    with app.app_context():
        db.session.execute(db.update(User).values(subscription_tier="pro"))
        db.session.commit()
    return headers


def rq_record_exists(app, rq_id: str) -> bool:
    with app.app_context():
        return RQJob.exists(rq_id, connection=get_redis())


def outline_slot(value) -> dict:
    return {"slot_id": "outline", "value": value}


def edited(outline: dict) -> dict:
    """The outline renamed, reordered, one section added and one removed."""
    sections = [dict(s) for s in outline["sections"]]
    sections[0]["heading"] = "Why onboarding decides retention"
    sections = sections[::-1][:-1] if len(sections) > 2 else sections[::-1]
    sections.append({"heading": "Your first week checklist", "points": ["Three steps"]})
    return {"title": "Onboarding, edited", "sections": sections}


# ------------------------------------------------------------------------ pausing


@pytest.mark.parametrize("workflow", ["blog_post", "release_notes", "newsletter"])
def test_a_job_pauses_at_its_outline_and_writes_from_the_edited_one(cp, workflow):
    job = cp.paused(workflow, topic="Onboarding new customers")
    assert job["item_version"] == 2 and job["progress"] < 100
    checkpoint = job["checkpoint"]
    assert checkpoint["checkpoint_id"] == "outline"
    [slot] = checkpoint["slots"]
    assert slot["slot_id"] == "outline" and slot["type"] == "outline"
    outline = slot["value"]
    assert outline["title"] and 1 <= len(outline["sections"]) <= 20
    assert all(s["heading"] for s in outline["sections"])
    preview = checkpoint["step_output_preview"]
    assert outline["title"] in preview
    assert all(s["heading"] in preview for s in outline["sections"])
    # Nothing written yet; nothing charged.
    post = cp.post(_main_post(cp, job["id"])).get_json()
    assert post["status"] == "generating" and post["content"] is None
    # The run that paused left no record in RQ: the job's row says all there is.
    assert wait_for(lambda: not rq_record_exists(cp.client.application, job["id"]), 10)

    wanted = edited(outline)
    patched = cp.patch(job["id"], 2, outline_slot(wanted))
    assert patched.status_code == 200, patched.get_json()
    body = patched.get_json()
    assert body["item_version"] == 3 and body["status"] == "slot_needed"
    assert body["checkpoint"]["slots"][0]["value"] == wanted
    assert "Your first week checklist" in body["checkpoint"]["step_output_preview"]
    assert cp.job(job["id"]).get_json()["checkpoint"] == body["checkpoint"]

    confirmed = cp.confirm(job["id"], 3)
    assert confirmed.status_code == 202, confirmed.get_json()
    assert confirmed.get_json()["status"] == "queued"
    assert confirmed.get_json()["item_version"] == 4
    done = cp.finished_job(job["id"])
    assert done["status"] == "completed", done
    [post] = cp.posts_of(done)
    assert [s["heading"] for s in post["content"]["sections"]] == [
        s["heading"] for s in wanted["sections"]
    ]
    # The agreed outline stays on the job.
    assert done["checkpoint"]["slots"][0]["value"] == wanted


def _main_post(cp, job_id) -> str:
    with cp.client.application.app_context():
        return db.session.execute(
            db.select(Post.id).where(Post.job_id == job_id, Post.position == 0)
        ).scalar_one()


def test_a_campaign_pauses_at_the_blog_outline_and_all_four_follow_the_edit(cp):
    job = cp.paused("campaign_pack", topic="Onboarding new customers")
    wanted = edited(job["checkpoint"]["slots"][0]["value"])
    assert cp.patch(job["id"], 2, outline_slot(wanted)).status_code == 200
    assert cp.confirm(job["id"], 3).status_code == 202
    done = cp.finished_job(job["id"])
    assert done["status"] == "completed", done
    blog, thread, linkedin, email = cp.posts_of(done)
    headings = [s["heading"] for s in wanted["sections"]]
    assert [s["heading"] for s in blog["content"]["sections"]] == headings
    assert [s["heading"] for s in email["content"]["sections"]] == headings
    assert headings_named(" ".join(thread["content"]["thread"]), headings) == headings
    assert headings_named(linkedin["content"]["text"], headings) == headings


# ------------------------------------------------------------ locking and states


def test_a_stale_version_is_409_with_the_current_one(cp):
    job = cp.paused("release_notes")
    value = job["checkpoint"]["slots"][0]["value"]
    assert cp.patch(job["id"], 2, outline_slot(value)).status_code == 200
    stale = error_of(cp.patch(job["id"], 2, outline_slot(value)), 409)
    assert stale["code"] == "VERSION_CONFLICT" and stale["current_version"] == 3
    stale = error_of(cp.confirm(job["id"], 2), 409)
    assert stale["code"] == "VERSION_CONFLICT" and stale["current_version"] == 3
    assert cp.job(job["id"]).get_json()["status"] == "slot_needed"


@pytest.mark.parametrize(
    "value,loc",
    [
        ({"title": "T", "sections": []}, ["body", "slots", "outline", "sections"]),
        (
            {"title": "T", "sections": [{"heading": f"H{i}", "points": []} for i in range(21)]},
            ["body", "slots", "outline", "sections"],
        ),
        (
            {"title": "T", "sections": [{"heading": "A"}, {"heading": "  ", "points": []}]},
            ["body", "slots", "outline", "sections", 1, "heading"],
        ),
        ({"title": "", "sections": [{"heading": "A"}]}, ["body", "slots", "outline", "title"]),
        ("three sections please", ["body", "slots", "outline"]),
    ],
)
def test_a_bad_outline_is_400_at_the_slot_and_changes_nothing(cp, value, loc):
    job = cp.paused("release_notes")
    detail = error_of(cp.patch(job["id"], 2, outline_slot(value)))
    assert detail["code"] == "VALIDATION_ERROR" and detail["errors"][0]["loc"] == loc
    after = cp.job(job["id"]).get_json()
    assert after["item_version"] == 2 and after["checkpoint"] == job["checkpoint"]


def test_an_unknown_slot_is_400_naming_it(cp):
    job = cp.paused("release_notes")
    detail = error_of(cp.patch(job["id"], 2, {"slot_id": "tone", "value": "warm"}))
    assert detail["errors"][0]["loc"] == ["body", "slots", "tone"]
    assert "outline" in detail["message"]


def test_wrong_transitions_are_invalid_state(cp):
    with worker_paused(cp.worker):
        queued = cp.generate(topic="Still queued").get_json()["job_id"]
        for response in (cp.confirm(queued, 1), cp.patch(queued, 1, outline_slot({}))):
            assert error_of(response)["code"] == "INVALID_STATE"
    finished = cp.finished_job(queued)
    assert finished["status"] == "completed"
    assert error_of(cp.confirm(queued, 1))["code"] == "INVALID_STATE"
    detail = error_of(cp.patch(queued, 1, outline_slot({"title": "T", "sections": []})))
    assert detail["code"] == "INVALID_STATE"
    # A confirmed job is running, not waiting: a second confirm is a wrong transition.
    job = cp.paused("release_notes")
    with worker_paused(cp.worker):
        assert cp.confirm(job["id"], 2).status_code == 202
        assert error_of(cp.confirm(job["id"], 3))["code"] == "INVALID_STATE"
    assert cp.finished_job(job["id"])["status"] == "completed"


def test_another_users_paused_job_is_not_found(cp, client, auth):
    job = cp.paused("release_notes")
    other = auth.headers(email="stranger@example.com")
    response = client.post(
        f"/api/v1/jobs/{job['id']}/confirm", headers=other, json={"item_version": 2}
    )
    assert error_of(response, 404)["code"] == "JOB_NOT_FOUND"


# --------------------------------------------------------------- workers and plans


def test_paused_jobs_hold_no_worker_and_all_complete_when_confirmed(cp, pro):
    """Three jobs paused at once with one worker process: each returned at its
    checkpoint, so the worker is free to pause the next and then to run them all."""
    topics = ["Onboarding emails", "Product tours", "Activation checklists"]
    responses = [
        cp.generate(
            workflow="release_notes", topic=t, review_outline=True, slots={"changes": CHANGELOG}
        )
        for t in topics
    ]
    ids = [r.get_json()["job_id"] for r in responses]
    paused = [cp.wait_status(i, "slot_needed") for i in ids]
    assert all(job["item_version"] == 2 for job in paused)
    for job_id in ids:
        assert cp.confirm(job_id, 2).status_code == 202
    done = [cp.finished_job(i) for i in ids]
    assert [job["status"] for job in done] == ["completed"] * 3
    assert all(len(job["result"]["post_ids"]) == 1 for job in done)


def test_a_paused_job_frees_the_plans_slot_and_confirming_needs_it_back(cp):
    job = cp.paused("release_notes")
    with worker_paused(cp.worker):
        # The free plan runs one job at a time: the paused one does not count...
        other = cp.generate(topic="Another topic")
        assert other.status_code == 202
        # ...but confirming it while the other runs would be two.
        refused = error_of(cp.confirm(job["id"], 2), 429)
        assert refused["code"] == "CONCURRENT_LIMIT_EXCEEDED" and refused["retry_after"] > 0
    assert cp.job(job["id"]).get_json()["status"] == "slot_needed"
    assert cp.finished_job(other.get_json()["job_id"])["status"] == "completed"
    assert cp.confirm(job["id"], 2).status_code == 202
    assert cp.finished_job(job["id"])["status"] == "completed"


def test_cancelling_a_paused_job_is_immediate_and_charges_nothing(cp, client):
    job = cp.paused("release_notes")
    response = client.post(f"/api/v1/jobs/{job['id']}/cancel", headers=cp.headers)
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    post = cp.post(_main_post(cp, job["id"])).get_json()
    assert post["status"] == "failed" and post["error_message"] == "Cancelled by the user."
    quota = client.get("/api/v1/users/me", headers=cp.headers).get_json()["quota"]
    assert quota["posts_used"] == 0
    assert error_of(cp.confirm(job["id"], 2))["code"] == "INVALID_STATE"


def test_a_job_paused_for_seven_days_is_cancelled_with_a_reason(cp, app):
    read, reaped = cp.paused("release_notes"), cp.paused("release_notes", topic="Second")
    with app.app_context():
        db.session.execute(
            db.update(Job)
            .where(Job.id.in_([read["id"], reaped["id"]]))
            .values(paused_at=utcnow() - timedelta(days=7, minutes=1))
        )
        db.session.commit()
    # Reading it settles it...
    job = cp.job(read["id"]).get_json()
    assert job["status"] == "cancelled" and "7 days" in job["error_message"]
    # ...and so does the reaper's periodic pass.
    with app.app_context():
        reaper.reap_stale_jobs()
    job = cp.job(reaped["id"]).get_json()
    assert job["status"] == "cancelled" and "7 days" in job["error_message"]
    post = cp.post(_main_post(cp, reaped["id"])).get_json()
    assert post["status"] == "failed" and "7 days" in post["error_message"]
