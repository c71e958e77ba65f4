"""Bulk generation through the API with the real `python worker.py` and the offline writer:
reference 004's Bulk Generation Example, the plan's bulk_limit, quota and concurrency, rows
that cannot be written, cancel, and the job's ZIP download."""

from __future__ import annotations

import io
import json
import threading
import time
import zipfile

import pytest

from webapp.extensions import db
from webapp.models import Job
from webapp.models.usage import QuotaReservation
from webapp.services import plans

from ..conftest import wait_for
from ..factories import make_user
from ..files import make_csv, make_pdf
from ..llm_server import default_reply
from .test_generation_llm import Remote, llm_env
from .test_posts import worker_paused

# Step 1 of the reference's example, byte for byte.
REFERENCE_CSV = (
    b"topic,voice,custom_instructions\n"
    b'"SEO Best Practices for 2025","professional","Include examples"\n'
    b'"Content Marketing Strategy Guide","professional","Focus on B2B"\n'
    b'"Social Media Optimization Tips","casual","Keep it practical"\n'
)
REFERENCE_TOPICS = [
    "SEO Best Practices for 2025",
    "Content Marketing Strategy Guide",
    "Social Media Optimization Tips",
]
FINISHED = ("completed", "failed", "cancelled")


class BulkApi:
    def __init__(self, client, headers, worker, project_name="Bulk"):
        self.client, self.headers, self.worker = client, headers, worker
        self.project = client.post(
            "/api/v1/projects", headers=headers, json={"name": project_name}
        ).get_json()

    def upload(self, data: bytes, filename: str = "topics.csv") -> str:
        response = self.client.post(
            f"/api/v1/sources/projects/{self.project['id']}/sources",
            headers=self.headers,
            data={"file": (io.BytesIO(data), filename)},
        )
        assert response.status_code == 201, response.get_json()
        source_id = response.get_json()["id"]
        wait_for(
            lambda: self.source(source_id)["status"] in ("parsed", "failed"),
            timeout=30,
            interval=0.25,
        )
        return source_id

    def source(self, source_id: str) -> dict:
        return self.client.get(
            f"/api/v1/sources/sources/{source_id}", headers=self.headers
        ).get_json()

    def bulk(self, source_id: str, **fields):
        body = {"project_id": self.project["id"], "csv_source_id": source_id, **fields}
        return self.client.post("/api/v1/posts/bulk-generate", headers=self.headers, json=body)

    def started(self, data: bytes) -> dict:
        response = self.bulk(self.upload(data))
        assert response.status_code == 202, response.get_json()
        return response.get_json()

    def job(self, job_id: str) -> dict:
        return self.client.get(f"/api/v1/jobs/{job_id}", headers=self.headers).get_json()

    def finished_job(self, job_id: str, timeout: float = 90) -> dict:
        def done():
            body = self.job(job_id)
            return body if body["status"] in FINISHED else None

        try:
            return wait_for(done, timeout=timeout, interval=0.2)
        except AssertionError:
            raise AssertionError(open(self.worker.log_path).read()[-4000:]) from None

    def post(self, post_id: str) -> dict:
        return self.client.get(f"/api/v1/posts/{post_id}", headers=self.headers).get_json()

    def download(self, job_id: str):
        return self.client.get(f"/api/v1/jobs/{job_id}/download", headers=self.headers)


@pytest.fixture
def api(client, auth, worker):
    return BulkApi(client, auth.headers(), worker)


def topics_csv(count: int, voice: str = "casual") -> bytes:
    return make_csv(
        [(f"Topic number {n} for the team", voice, "") for n in range(1, count + 1)],
        header=("topic", "voice", "custom_instructions"),
    )


def rows_of(job: dict) -> list[tuple]:
    return [(r["row"], r["status"], (r["error"] or {}).get("code")) for r in job["result"]["rows"]]


def bulk_jobs(app) -> int:
    with app.app_context():
        return db.session.execute(
            db.select(db.func.count()).select_from(Job).where(Job.job_type == "bulk_generation")
        ).scalar_one()


def set_plan(app, email: str, plan: str) -> None:
    make_user(app, email=email, plan=plan)


def use_posts(app, email: str, posts: int) -> None:
    """Count `posts` against the user's month, as generated posts would."""
    with app.app_context():
        user = make_user(app, email=email)
        plans.add_posts_used(user.id, posts)
        db.session.commit()


# --------------------------------------------------------------------- the reference


def test_the_reference_example_writes_its_three_posts(api):
    source_id = api.upload(REFERENCE_CSV)
    assert api.source(source_id)["status"] == "parsed"

    response = api.bulk(source_id)
    assert response.status_code == 202
    accepted = response.get_json()
    assert accepted["status"] == "queued" and accepted["total_items"] == 3
    assert len(accepted["job_id"]) == 24 and "/api/v1/jobs/" in accepted["message"]

    job = api.finished_job(accepted["job_id"])
    assert job["job_type"] == "bulk_generation" and job["status"] == "completed"
    assert job["progress"] == 100 and job["total_items"] == 3 and job["error_message"] is None
    rows = job["result"]["rows"]
    assert [(r["row"], r["topic"], r["status"], r["error"]) for r in rows] == [
        (2, REFERENCE_TOPICS[0], "completed", None),
        (3, REFERENCE_TOPICS[1], "completed", None),
        (4, REFERENCE_TOPICS[2], "completed", None),
    ]
    assert job["result"]["post_ids"] == [r["post_id"] for r in rows]

    posts = [api.post(post_id) for post_id in job["result"]["post_ids"]]
    assert [p["topic"] for p in posts] == REFERENCE_TOPICS
    assert [p["voice"] for p in posts] == ["professional", "professional", "casual"]
    assert [p["custom_instructions"] for p in posts] == [
        "Include examples",
        "Focus on B2B",
        "Keep it practical",
    ]
    assert {p["status"] for p in posts} == {"completed"}
    assert {p["job_id"] for p in posts} == {accepted["job_id"]}
    assert {(p["channel"], p["target_length"]) for p in posts} == {("blog", "medium")}
    listed = api.client.get(
        f"/api/v1/posts/projects/{api.project['id']}/posts", headers=api.headers
    ).get_json()
    assert listed["total"] == 3
    me = api.client.get("/api/v1/users/me", headers=api.headers).get_json()
    assert me["quota"]["posts_used"] == 3


def test_the_job_downloads_as_a_zip_of_its_posts_in_row_order(api):
    job = api.finished_job(api.started(REFERENCE_CSV)["job_id"])
    response = api.download(job["id"])
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="bulk-')
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["job"]["id"] == job["id"]
    assert manifest["job"]["job_type"] == "bulk_generation"
    assert manifest["project"]["id"] == api.project["id"]
    assert [p["id"] for p in manifest["posts"]] == job["result"]["post_ids"]
    assert [p["topic"] for p in manifest["posts"]] == REFERENCE_TOPICS
    assert [p["position"] for p in manifest["posts"]] == [2, 3, 4]
    names = set(archive.namelist())
    for post in manifest["posts"]:
        assert len(post["files"]) == 3 and set(post["files"]) <= names
        assert archive.read(post["files"][0]).decode("utf-8").startswith("# ")


def test_download_is_409_until_the_job_completes_and_404_without_posts(api):
    source_id = api.upload(REFERENCE_CSV)
    with worker_paused(api.worker):
        job_id = api.bulk(source_id).get_json()["job_id"]
        queued = api.download(job_id)
        assert queued.status_code == 409
        assert queued.get_json()["detail"]["code"] == "INVALID_STATE"
    api.finished_job(job_id)
    # Any job type: a single generation's post, then none once it is deleted.
    generated = api.client.post(
        "/api/v1/posts/generate",
        headers=api.headers,
        json={"project_id": api.project["id"], "topic": "One post", "voice": "casual"},
    ).get_json()
    single = api.finished_job(generated["job_id"])
    archive = zipfile.ZipFile(io.BytesIO(api.download(single["id"]).get_data()))
    assert [p["topic"] for p in json.loads(archive.read("manifest.json"))["posts"]] == ["One post"]
    api.client.delete(f"/api/v1/posts/{single['result']['post_id']}", headers=api.headers)
    gone = api.download(single["id"])
    assert gone.status_code == 404 and gone.get_json()["detail"]["code"] == "NOT_FOUND"
    assert api.download("0" * 24).get_json()["detail"]["code"] == "JOB_NOT_FOUND"


def test_get_on_the_bulk_path_is_405_not_a_post_lookup(api):
    response = api.client.get("/api/v1/posts/bulk-generate", headers=api.headers)
    assert response.status_code == 405
    allowed = response.headers["Allow"]
    assert "POST" in allowed and "GET" not in allowed and "DELETE" not in allowed


# --------------------------------------------------------------------- refused requests


def test_more_rows_than_the_bulk_limit_is_400_and_queues_nothing(api, app):
    response = api.bulk(api.upload(topics_csv(11)))  # the free plan: 10 rows
    assert response.status_code == 400
    detail = response.get_json()["detail"]
    assert detail["code"] == "BULK_LIMIT_EXCEEDED"
    assert (detail["rows"], detail["bulk_limit"]) == (11, 10)
    assert "10" in detail["message"]
    assert bulk_jobs(app) == 0
    assert api.client.get("/api/v1/jobs", headers=api.headers).get_json()["total"] == 1  # parse

    set_plan(app, "user@example.com", "starter")  # 50 rows
    assert api.bulk(api.upload(topics_csv(11))).status_code == 202


def test_a_source_that_is_not_a_parsed_topics_csv_is_400_invalid_source(api):
    pdf = api.upload(make_pdf(["A paragraph about marketing plans for small shops."]), "a.pdf")
    no_topic = api.upload(b"title,voice\nHello,casual\n", "wrong.csv")
    assert api.source(no_topic)["status"] == "failed"
    only_rejected = api.upload(make_csv([("", "casual")], header=("topic", "voice")))
    for source_id in (pdf, no_topic, only_rejected):
        response = api.bulk(source_id)
        assert response.status_code == 400, source_id
        assert response.get_json()["detail"]["code"] == "INVALID_SOURCE"
    with worker_paused(api.worker):
        parsing = api.client.post(
            f"/api/v1/sources/projects/{api.project['id']}/sources",
            headers=api.headers,
            data={"file": (io.BytesIO(REFERENCE_CSV), "later.csv")},
        ).get_json()["id"]
        response = api.bulk(parsing)
        assert response.get_json()["detail"]["code"] == "INVALID_SOURCE"
    missing = api.bulk("0" * 24)
    assert missing.status_code == 404
    assert missing.get_json()["detail"]["code"] == "SOURCE_NOT_FOUND"
    other = BulkApi(api.client, api.headers, api.worker, "Other")
    elsewhere = other.bulk(api.upload(REFERENCE_CSV))  # a source of another project
    assert elsewhere.get_json()["detail"]["code"] == "SOURCE_NOT_FOUND"
    invalid = api.bulk("x", project_id=None)
    assert invalid.status_code == 400
    assert invalid.get_json()["detail"]["errors"][0]["loc"] == ["body", "project_id"]


def test_another_users_project_or_source_is_404(api, auth, client):
    source_id = api.upload(REFERENCE_CSV)
    stranger = BulkApi(client, auth.headers("stranger@example.com"), api.worker, "Mine")
    theirs = stranger.bulk(source_id)
    assert theirs.status_code == 404
    assert theirs.get_json()["detail"]["code"] == "SOURCE_NOT_FOUND"
    stranger.project = api.project
    assert stranger.bulk(source_id).get_json()["detail"]["code"] == "PROJECT_NOT_FOUND"


def test_the_bulk_job_counts_once_against_concurrency(api):
    source_id = api.upload(REFERENCE_CSV)
    with worker_paused(api.worker):
        first = api.bulk(source_id).get_json()  # free plan: one job at a time
        refused = api.bulk(source_id)
        assert refused.status_code == 429
        detail = refused.get_json()["detail"]
        assert detail["code"] == "CONCURRENT_LIMIT_EXCEEDED" and detail["retry_after"] > 0
    assert api.finished_job(first["job_id"])["status"] == "completed"


def test_no_post_left_this_month_is_403_quota_exceeded(api, app):
    use_posts(app, "user@example.com", 10)
    response = api.bulk(api.upload(REFERENCE_CSV))
    assert response.status_code == 403
    assert response.get_json()["detail"]["code"] == "QUOTA_EXCEEDED"


# --------------------------------------------------------------------- rows


def test_rows_that_cannot_be_written_fail_with_their_reason_and_row_number(api):
    data = make_csv(
        [
            ("Pricing pages that convert", "casual", "", "short", "", ""),
            ("", "casual", "", "", "", ""),
            ("Onboarding emails", "", "Warm", "short", "", "newsletter"),
            ("Case studies", "casual", "", "enormous", "", ""),
            ("Launch week", "casual", "", "", "", "campaign_pack"),
            ("Podcast notes", "pirate", "", "", "", ""),
            ("Hiring posts", "gen_z", "", "", "", ""),
            ("Spring sale", "witty", "", "short", "linkedin", ""),
        ],
        header=("topic", "voice", "custom_instructions", "target_length", "channel", "workflow"),
    )
    job = api.finished_job(api.started(data)["job_id"])
    assert job["status"] == "completed" and job["total_items"] == 8
    assert rows_of(job) == [
        (2, "completed", None),
        (3, "failed", "INVALID_SOURCE"),
        (4, "completed", None),
        (5, "failed", "INVALID_SOURCE"),
        (6, "failed", "VALIDATION_ERROR"),
        (7, "failed", "VALIDATION_ERROR"),
        (8, "failed", "VOICE_NOT_AVAILABLE"),
        (9, "completed", None),
    ]
    messages = {r["row"]: r["error"]["message"] for r in job["result"]["rows"] if r["error"]}
    assert "Row 3" in messages[3] and "topic is empty" in messages[3]
    assert "Row 5" in messages[5] and "target_length" in messages[5]
    assert "campaign_pack" in messages[6] and "blog_post or newsletter" in messages[6]
    assert "pirate" in messages[7]
    assert "gen_z" in messages[8] and "free" in messages[8]
    assert [r["topic"] for r in job["result"]["rows"]][:2] == ["Pricing pages that convert", ""]
    posts = [api.post(post_id) for post_id in job["result"]["post_ids"]]
    assert [(p["topic"], p["channel"], p["voice"]) for p in posts] == [
        ("Pricing pages that convert", "blog", "casual"),
        ("Onboarding emails", "email", "professional"),
        ("Spring sale", "linkedin", "witty"),
    ]
    assert posts[1]["content"]["subject"]
    me = api.client.get("/api/v1/users/me", headers=api.headers).get_json()
    assert me["quota"]["posts_used"] == 3


def test_rows_beyond_the_months_posts_fail_with_quota_exceeded(api, app):
    use_posts(app, "user@example.com", 8)  # 2 of the free plan's 10 left
    job = api.finished_job(api.started(topics_csv(4))["job_id"])
    assert job["status"] == "completed"
    assert rows_of(job) == [
        (2, "completed", None),
        (3, "completed", None),
        (4, "failed", "QUOTA_EXCEEDED"),
        (5, "failed", "QUOTA_EXCEEDED"),
    ]
    assert len(job["result"]["post_ids"]) == 2
    me = api.client.get("/api/v1/users/me", headers=api.headers).get_json()
    assert me["quota"]["posts_used"] == 10
    with app.app_context():  # nothing stays reserved
        assert db.session.execute(db.select(QuotaReservation)).first() is None


def test_a_job_whose_rows_all_fail_fails_and_charges_nothing(api, app):
    data = make_csv(
        [("Hiring posts", "gen_z"), ("Team offsite", "academic")], header=("topic", "voice")
    )
    job = api.finished_job(api.started(data)["job_id"])
    assert job["status"] == "failed"
    assert "All 2 rows failed" in job["error_message"]
    assert [r["status"] for r in job["result"]["rows"]] == ["failed", "failed"]
    assert job["result"]["post_ids"] == []
    assert (
        api.client.get("/api/v1/users/me", headers=api.headers).get_json()["quota"]["posts_used"]
        == 0
    )
    assert api.download(job["id"]).status_code == 409


def test_cancelling_a_queued_job_cancels_every_row(api, app):
    source_id = api.upload(REFERENCE_CSV)
    with worker_paused(api.worker):
        job_id = api.bulk(source_id).get_json()["job_id"]
        cancelled = api.client.post(f"/api/v1/jobs/{job_id}/cancel", headers=api.headers)
        assert cancelled.status_code == 200
    job = api.finished_job(job_id)
    assert job["status"] == "cancelled"
    assert [r["status"] for r in job["result"]["rows"]] == ["cancelled"] * 3
    with app.app_context():
        assert db.session.execute(db.select(QuotaReservation)).first() is None
    again = api.client.post(f"/api/v1/jobs/{job_id}/cancel", headers=api.headers)
    assert again.get_json()["detail"]["code"] == "INVALID_STATE"


def test_a_test_mode_key_writes_offline_and_charges_nothing(api):
    key = api.client.post(
        "/api/v1/api-keys", headers=api.headers, json={"name": "CI", "mode": "test"}
    ).get_json()["key"]
    source_id = api.upload(REFERENCE_CSV)
    response = api.client.post(
        "/api/v1/posts/bulk-generate",
        headers={"X-API-Key": key},
        json={"project_id": api.project["id"], "csv_source_id": source_id},
    )
    assert response.status_code == 202
    job = api.finished_job(response.get_json()["job_id"])
    assert job["status"] == "completed"
    assert {api.post(i)["model"] for i in job["result"]["post_ids"]} == {"offline"}
    me = api.client.get("/api/v1/users/me", headers=api.headers).get_json()
    assert me["quota"]["posts_used"] == 0


# --------------------------------------------------------------------- with a model


class InFlight:
    """A model server responder that takes `seconds` per answer and counts how many
    answers were being written at once."""

    def __init__(self, seconds: float):
        self.seconds, self.now, self.peak = seconds, 0, 0
        self.lock = threading.Lock()

    def reply(self, body: dict) -> str:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        try:
            time.sleep(self.seconds)
            return default_reply(body)
        finally:
            with self.lock:
                self.now -= 1


def remote_csv_job(user: Remote, data: bytes) -> str:
    """Upload `data` as a CSV source of `user`'s project, wait for it to parse, start a bulk
    job on it; the job's id."""
    source = user.call(
        "post",
        f"/api/v1/sources/projects/{user.project['id']}/sources",
        files={"file": ("topics.csv", data)},
    ).json()
    wait_for(
        lambda: (
            user.call("get", f"/api/v1/sources/sources/{source['id']}").json()["status"] == "parsed"
        ),
        timeout=30,
        interval=0.25,
    )
    response = user.call(
        "post",
        "/api/v1/posts/bulk-generate",
        json={"project_id": user.project["id"], "csv_source_id": source["id"]},
    )
    assert response.status_code == 202, response.text
    return response.json()["job_id"]


def short_rows(count: int) -> bytes:
    return make_csv(
        [(f"Spring offer number {n}", "casual", "short", "linkedin") for n in range(count)],
        header=("topic", "voice", "target_length", "channel"),
    )


def test_rows_are_written_at_most_the_plans_concurrency_at_a_time(start_stack, llm_server, app):
    answers = InFlight(0.4)
    llm_server.responder = answers.reply
    # One model call at a time per row: calls at once are then rows at once.
    server, worker = start_stack(**llm_env(llm_server, LLM_MAX_PARALLEL_CALLS="1"))
    user = Remote(server)
    make_user(app, email="writer@example.com", plan="starter")  # 3 at a time
    job_id = remote_csv_job(user, short_rows(7))

    processing_seen = []
    while True:
        job = user.call("get", f"/api/v1/jobs/{job_id}").json()
        if job["status"] in FINISHED:
            break
        if job["result"]:
            processing_seen.append(sum(r["status"] == "processing" for r in job["result"]["rows"]))
        time.sleep(0.1)
    assert job["status"] == "completed", open(worker.log_path).read()[-3000:]
    assert [r["status"] for r in job["result"]["rows"]] == ["completed"] * 7
    assert answers.peak == 3
    assert max(processing_seen) == 3  # the poll shows rows as they change
    assert user.quota() == 7


def test_cancel_stops_the_row_being_written_and_the_rows_after_it(start_stack, llm_server):
    server, worker = start_stack(**llm_env(llm_server))
    llm_server.delay = 2.0
    user = Remote(server)  # free plan: one row at a time
    job_id = remote_csv_job(user, short_rows(4))

    def first_row_processing():
        job = user.call("get", f"/api/v1/jobs/{job_id}").json()
        return job["result"] and job["result"]["rows"][0]["status"] == "processing"

    wait_for(first_row_processing, timeout=30, interval=0.1)
    assert user.call("post", f"/api/v1/jobs/{job_id}/cancel").status_code == 200
    job = user.finished_job(job_id, worker)
    assert job["status"] == "cancelled"
    assert [r["status"] for r in job["result"]["rows"]] == ["cancelled"] * 4
    assert job["result"]["post_ids"] == []
    posts = user.call("get", f"/api/v1/posts/projects/{user.project['id']}/posts").json()
    assert posts["total"] == 0 and user.quota() == 0
