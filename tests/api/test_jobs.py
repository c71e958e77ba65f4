"""Jobs API: status, list, cancel; a job whose worker died is failed on read and by the
reaper; Redis down at submit answers 503 and keeps nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import requests

from webapp.extensions import db
from webapp.models import Job, Post, Project
from webapp.services import jobs, live, reaper
from webapp.timeutil import utcnow

from ..factories import make_user, make_workspace
from .test_posts import Api, worker_paused


def make_running_job(app, api, seconds_ago: int) -> tuple[str, str]:
    """A generation row that says `processing` although no worker runs it."""
    with app.app_context():
        job = Job(
            user_id=api.project["user_id"],
            project_id=api.project["id"],
            job_type="content_generation",
            status="processing",
            progress=40,
            current_step="Writing section 2 of 5",
        )
        db.session.add(job)
        db.session.flush()
        post = Post(
            project_id=api.project["id"],
            user_id=api.project["user_id"],
            job_id=job.id,
            topic="Orphaned",
            voice="casual",
            status="generating",
        )
        db.session.add(post)
        db.session.commit()
        old = utcnow() - timedelta(seconds=seconds_ago)
        db.session.execute(db.update(Job).where(Job.id == job.id).values(updated_at=old))
        db.session.commit()
        return job.id, post.id


def test_list_jobs_newest_first_with_filters(client, auth, worker):
    api = Api(client, auth.headers(), worker)
    first = api.generated_post(topic="One")
    second = api.generated_post(topic="Two")
    listed = client.get("/api/v1/jobs", headers=api.headers).get_json()
    assert [j["id"] for j in listed["jobs"]] == [second["job_id"], first["job_id"]]
    assert listed["total"] == 2
    only = client.get("/api/v1/jobs?job_type=document_parsing", headers=api.headers).get_json()
    assert only == {"jobs": [], "total": 0}
    assert client.get("/api/v1/jobs?status=nope", headers=api.headers).status_code == 400
    assert client.get("/api/v1/jobs").status_code == 401


def test_cancel_a_queued_generation(client, auth, worker, app):
    api = Api(client, auth.headers(), worker)
    with worker_paused(worker):
        job_id = api.generate().get_json()["job_id"]
        response = client.post(f"/api/v1/jobs/{job_id}/cancel", headers=api.headers)
    assert response.status_code == 200
    assert response.get_json()["status"] == "cancelled"
    # The worker, resumed, does not write it.
    job = api.finished_job(job_id)
    assert job["status"] == "cancelled" and job["error_message"] == "Cancelled by the user."
    with app.app_context():
        post = db.session.execute(db.select(Post).where(Post.job_id == job_id)).scalar_one()
        assert post.status == "failed" and post.content is None
    again = client.post(f"/api/v1/jobs/{job_id}/cancel", headers=api.headers)
    assert again.status_code == 400
    assert again.get_json()["detail"]["code"] == "INVALID_STATE"


def test_cancel_of_another_users_job_is_not_found(client, auth, worker):
    api = Api(client, auth.headers(), worker)
    post = api.generated_post()
    other = auth.headers(email="other@example.com")
    assert client.post(f"/api/v1/jobs/{post['job_id']}/cancel", headers=other).status_code == 404
    assert client.get("/api/v1/jobs/not-an-id", headers=other).status_code == 404


def test_a_running_job_without_heartbeat_is_failed_when_read(client, auth, worker, app):
    api = Api(client, auth.headers(), worker)
    job_id, post_id = make_running_job(app, api, seconds_ago=120)
    job = client.get(f"/api/v1/jobs/{job_id}", headers=api.headers).get_json()
    assert job["status"] == "failed"
    assert "stopped unexpectedly" in job["error_message"]
    post = client.get(f"/api/v1/posts/{post_id}", headers=api.headers).get_json()
    assert post["status"] == "failed" and "Nothing was charged" in post["error_message"]


def test_reaper_fails_only_stale_jobs(client, auth, worker, app):
    api = Api(client, auth.headers(), worker)
    stale_id, _ = make_running_job(app, api, seconds_ago=120)
    fresh_id, _ = make_running_job(app, api, seconds_ago=1)
    with app.app_context():
        assert reaper.reap_stale_jobs() == 1
        assert db.session.get(Job, stale_id).status == "failed"
        assert db.session.get(Job, fresh_id).status == "processing"


def test_redis_down_at_generate_is_503_and_keeps_nothing(start_server, app):
    server = start_server(REDIS_URL="redis://127.0.0.1:9/0")
    requests.post(
        f"{server}/api/v1/auth/register",
        timeout=10,
        json={"email": "down@example.com", "password": "SecurePassword123!", "name": "D"},
    )
    token = requests.post(
        f"{server}/api/v1/auth/login",
        timeout=10,
        json={"email": "down@example.com", "password": "SecurePassword123!"},
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    project = requests.post(
        f"{server}/api/v1/projects", headers=headers, timeout=10, json={"name": "P"}
    ).json()
    response = requests.post(
        f"{server}/api/v1/posts/generate",
        headers=headers,
        timeout=10,
        json={"project_id": project["id"], "topic": "Down", "voice": "casual"},
    )
    assert response.status_code == 503
    assert response.json()["detail"]["code"] == "SERVICE_UNAVAILABLE"
    with app.app_context():
        assert db.session.query(Post).count() == 0 and db.session.query(Job).count() == 0
    # The project page still renders (signed in through the form).
    session = requests.Session()
    login = session.get(f"{server}/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login).group(1)
    session.post(
        f"{server}/login",
        timeout=10,
        data={"email": "down@example.com", "password": "SecurePassword123!", "csrf_token": token},
    )
    page = session.get(f"{server}/projects/{project['id']}", timeout=10)
    assert page.status_code == 200 and "New post" in page.text


def test_a_running_job_reports_the_finer_progress_the_worker_streams(client, auth, worker, app):
    api = Api(client, auth.headers(), worker)
    job_id, _ = make_running_job(app, api, seconds_ago=1)
    with app.app_context():
        buffer = live.DraftBuffer(job_id)
        buffer.set_progress(63, "Writing the sections")
        buffer.set_progress(50, "An older figure never moves it back")
        buffer.flush_all()
    job = client.get(f"/api/v1/jobs/{job_id}", headers=api.headers).get_json()
    assert (job["progress"], job["current_step"]) == (63, "Writing the sections")
    auth.login_page()
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert 'value="63"' in page and "Writing the sections" in page


def test_a_finished_job_reports_its_own_progress_not_the_live_one(client, auth, worker, app):
    api = Api(client, auth.headers(), worker)
    job_id, _ = make_running_job(app, api, seconds_ago=1)
    with app.app_context():
        live.DraftBuffer(job_id).set_progress(63, "Writing the sections")
        jobs.fail_job(db.session.get(Job, job_id), "Stopped.")
    job = client.get(f"/api/v1/jobs/{job_id}", headers=api.headers).get_json()
    assert (job["status"], job["progress"], job["current_step"]) == ("failed", 40, "Failed")


def publish_running_state(app, job_id: str, percent: int, step: str) -> None:
    """What the worker does at each step of a running job."""
    with app.app_context():
        jobs.set_progress(db.session.get(Job, job_id), percent, step)


def test_a_running_job_is_answered_from_redis_without_reading_its_row(
    client, auth, worker, app, sql_statements
):
    api = Api(client, auth.headers(), worker)
    job_id, _ = make_running_job(app, api, seconds_ago=1)
    publish_running_state(app, job_id, 45, "Writing the sections")
    with app.app_context(), live.Heartbeat(job_id):
        live.DraftBuffer(job_id).set_progress(52, "Writing the sections")
        with sql_statements() as executed:
            job = client.get(f"/api/v1/jobs/{job_id}", headers=api.headers).get_json()
    assert (job["id"], job["status"], job["progress"]) == (job_id, "processing", 52)
    assert job["current_step"] == "Writing the sections"
    assert job["user_id"] == api.project["user_id"] and job["result"] is None
    assert job["created_at"].endswith("Z") and job["updated_at"].endswith("Z")
    # The caller's user and their membership of the job's workspace; no job row.
    assert len(executed) == 2, executed


def test_the_redis_answer_matches_the_rows(client, auth, worker, app):
    api = Api(client, auth.headers(), worker)
    job_id, _ = make_running_job(app, api, seconds_ago=1)
    publish_running_state(app, job_id, 45, "Writing the sections")
    with app.app_context(), live.Heartbeat(job_id):
        from_redis = client.get(f"/api/v1/jobs/{job_id}", headers=api.headers).get_json()
        live.forget_job_state(job_id)
        from_row = client.get(f"/api/v1/jobs/{job_id}", headers=api.headers).get_json()
    assert from_redis == from_row


def test_another_users_running_job_is_not_found_from_redis_either(client, auth, worker, app):
    api = Api(client, auth.headers(), worker)
    job_id, _ = make_running_job(app, api, seconds_ago=1)
    publish_running_state(app, job_id, 45, "Writing the sections")
    other = auth.headers(email="other@example.com")
    with app.app_context(), live.Heartbeat(job_id):
        response = client.get(f"/api/v1/jobs/{job_id}", headers=other)
    assert response.status_code == 404
    assert response.get_json()["detail"]["code"] == "JOB_NOT_FOUND"


def test_a_starter_no_longer_in_the_workspace_does_not_see_their_running_job(
    client, auth, worker, app
):
    api = Api(client, auth.headers(), worker)
    job_id, _ = make_running_job(app, api, seconds_ago=1)
    publish_running_state(app, job_id, 45, "Writing the sections")
    owner = make_user(app, email="owner@example.com")
    team = make_workspace(app, owner)
    with app.app_context():  # the project now belongs to a workspace the starter left
        db.session.get(Project, api.project["id"]).workspace_id = team.id
        db.session.commit()
    with app.app_context(), live.Heartbeat(job_id):
        response = client.get(f"/api/v1/jobs/{job_id}", headers=api.headers)
    assert response.status_code == 404


def test_a_dead_workers_state_in_redis_does_not_hide_its_failure(client, auth, worker, app):
    api = Api(client, auth.headers(), worker)
    job_id, _ = make_running_job(app, api, seconds_ago=1)
    publish_running_state(app, job_id, 45, "Writing the sections")
    with app.app_context():
        db.session.execute(
            db.update(Job)
            .where(Job.id == job_id)
            .values(updated_at=utcnow() - timedelta(seconds=120))
        )
        db.session.commit()
    # No heartbeat: the worker is gone, so the row is read and the job settled.
    job = client.get(f"/api/v1/jobs/{job_id}", headers=api.headers).get_json()
    assert job["status"] == "failed" and "stopped unexpectedly" in job["error_message"]


def test_a_job_that_ends_is_read_from_its_row_again(client, auth, worker, app):
    api = Api(client, auth.headers(), worker)
    job_id, _ = make_running_job(app, api, seconds_ago=1)
    publish_running_state(app, job_id, 45, "Writing the sections")
    with app.app_context(), live.Heartbeat(job_id):
        jobs.complete_job(db.session.get(Job, job_id), {"post_id": "p"})
        job = client.get(f"/api/v1/jobs/{job_id}", headers=api.headers).get_json()
    assert (job["status"], job["progress"], job["result"]) == ("completed", 100, {"post_id": "p"})


def test_a_running_job_of_a_deleted_project_is_gone(client, auth, worker, app):
    api = Api(client, auth.headers(), worker)
    job_id, _ = make_running_job(app, api, seconds_ago=1)
    publish_running_state(app, job_id, 45, "Writing the sections")
    assert (
        client.delete(f"/api/v1/projects/{api.project['id']}", headers=api.headers).status_code
        == 204
    )
    with app.app_context(), live.Heartbeat(job_id):
        response = client.get(f"/api/v1/jobs/{job_id}", headers=api.headers)
    assert response.status_code == 404


def test_a_parse_job_cannot_be_cancelled_and_its_page_offers_no_cancel(client, auth, app):
    """The job registry says which kinds can be cancelled: parsing cannot."""
    headers = auth.headers()
    project = client.post("/api/v1/projects", headers=headers, json={"name": "P"}).get_json()
    with app.app_context():
        job = Job(
            user_id=project["user_id"],
            project_id=project["id"],
            job_type="document_parsing",
            status="processing",
            progress=5,
            current_step="Parsing the document",
        )
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    response = client.post(f"/api/v1/jobs/{job_id}/cancel", headers=headers)
    assert response.status_code == 400
    assert response.get_json()["detail"]["code"] == "INVALID_STATE"
    auth.login_page()
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Parsing the document" in page and f"/jobs/{job_id}/cancel" not in page
    with app.app_context():
        jobs.fail_job(db.session.get(Job, job_id), "The file is not a PDF.")
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Parsing failed:" in page and "The file is not a PDF." in page
