"""Posts API with the real `python worker.py` and the offline writer (no LLM_MODEL): the
reference's generate → poll job → get post flow, its validation and error codes, quota and
plan rules, listing, deleting and isolation."""

from __future__ import annotations

import io
import os
import re
import signal
from contextlib import contextmanager

import pytest

from webapp.extensions import db
from webapp.models import Job, Post
from webapp.services import plans

from ..conftest import wait_for
from ..factories import make_user
from ..files import make_pdf

TOPIC = "How to Build a REST API with FastAPI"
SOURCE_TEXT = [
    "FastAPI is a modern Python web framework built on type hints.",
    "Async endpoints let one process serve many slow clients at once.",
    "Pydantic models validate requests and document the API.",
]


class Api:
    def __init__(self, client, headers, worker):
        self.client, self.headers, self.worker = client, headers, worker
        self.project = client.post(
            "/api/v1/projects", headers=headers, json={"name": "Tech Blog"}
        ).get_json()

    def generate(self, **fields):
        body = {"project_id": self.project["id"], "topic": TOPIC, "voice": "technical", **fields}
        return self.client.post("/api/v1/posts/generate", headers=self.headers, json=body)

    def job(self, job_id):
        return self.client.get(f"/api/v1/jobs/{job_id}", headers=self.headers)

    def finished_job(self, job_id, timeout=60):
        def done():
            body = self.job(job_id).get_json()
            return body if body["status"] in ("completed", "failed", "cancelled") else None

        try:
            return wait_for(done, timeout=timeout, interval=0.2)
        except AssertionError:
            raise AssertionError(open(self.worker.log_path).read()[-4000:])

    def post(self, post_id):
        return self.client.get(f"/api/v1/posts/{post_id}", headers=self.headers)

    def generated_post(self, **fields) -> dict:
        response = self.generate(**fields)
        assert response.status_code == 202, response.get_json()
        job = self.finished_job(response.get_json()["job_id"])
        assert job["status"] == "completed", job
        return self.post(job["result"]["post_id"]).get_json()

    def parsed_source(self, paragraphs=SOURCE_TEXT) -> str:
        response = self.client.post(
            f"/api/v1/sources/projects/{self.project['id']}/sources",
            headers=self.headers,
            data={"file": (io.BytesIO(make_pdf(paragraphs)), "research.pdf")},
        )
        return self.wait_parsed(response.get_json()["id"])

    def wait_parsed(self, source_id: str) -> str:
        wait_for(
            lambda: (
                self.client.get(
                    f"/api/v1/sources/sources/{source_id}", headers=self.headers
                ).get_json()["status"]
                == "parsed"
            ),
            timeout=30,
        )
        return source_id


@pytest.fixture
def api(client, auth, worker):
    return Api(client, auth.headers(), worker)


@contextmanager
def worker_paused(worker):
    """Hold the worker (SIGSTOP) so new jobs stay queued; resume after."""
    os.kill(worker.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(worker.pid, signal.SIGCONT)


def quota(client, headers) -> dict:
    return client.get("/api/v1/users/me", headers=headers).get_json()["quota"]


def test_generate_poll_and_read_a_blog_post_its_small_source_supports(api, client):
    source_id = api.parsed_source()
    response = api.generate(
        target_length="medium", source_ids=[source_id], custom_instructions="Include code examples"
    )
    assert response.status_code == 202
    accepted = response.get_json()
    assert accepted["status"] == "queued" and len(accepted["job_id"]) == 24
    assert "/api/v1/jobs/" in accepted["message"]

    job = api.finished_job(accepted["job_id"])
    assert job["status"] == "completed" and job["progress"] == 100
    assert job["job_type"] == "content_generation" and job["total_items"] == 1
    assert job["error_message"] is None and job["project_id"] == api.project["id"]
    assert job["created_at"].endswith("Z") and job["updated_at"].endswith("Z")

    post = api.post(job["result"]["post_id"]).get_json()
    assert post["status"] == "completed" and post["topic"] == TOPIC
    assert post["voice"] == "technical" and post["model"] == "offline"
    content = post["content"]
    # Three sentences of source support a short draft, not 1,500 words of filler.
    assert 20 <= content["word_count"] < 100
    assert [w["code"] for w in post["warnings"]] == ["SHORT_OF_TARGET", "VOICE_NEEDS_MODEL"]
    about = int(re.search(r"about (\d+) words", post["warnings"][0]["message"]).group(1))
    assert abs(about - content["word_count"]) <= 0.15 * content["word_count"]
    assert post["word_count"] == content["word_count"]
    assert content["markdown"].startswith("# ") and content["kind"] == "draft"
    assert 0 < len(content["meta_description"]) <= 160
    assert post["source_ids"] == [source_id]
    assert {c["source_id"] for c in content["citations"]} == {source_id}
    assert all(c["location"]["page"] in (1, 2, 3) for c in content["citations"])
    assert "Include code examples" not in content["markdown"]
    assert "FastAPI is a modern Python web framework built on type hints." in content["markdown"]
    assert post["prompt_tokens"] == 0 and post["cost_usd"] == 0
    # Charged once, for the completed post.
    assert quota(client, api.headers)["posts_used"] == 1


def long_source(api) -> str:
    """A parsed Markdown source of about 4,500 words of distinct sentences."""
    paragraphs = [
        f"Content strategy plan {i} links audience question {i} to article {i}. "
        f"Editors review draft {i} against goal {i} before it is scheduled."
        for i in range(200)
    ]
    response = api.client.post(
        f"/api/v1/sources/projects/{api.project['id']}/sources",
        headers=api.headers,
        data={"file": (io.BytesIO("\n\n".join(paragraphs).encode()), "strategy.md")},
    )
    return api.wait_parsed(response.get_json()["id"])


@pytest.mark.parametrize("length,low,high", [("short", 800, 1200), ("long", 2500, 3500)])
def test_blog_lengths_land_in_the_reference_ranges(api, length, low, high):
    post = api.generated_post(
        target_length=length,
        topic=f"Content strategy {length}",
        voice="professional",
        source_ids=[long_source(api)],
    )
    assert low <= post["content"]["word_count"] <= high
    assert post["warnings"] == []


def test_channels_have_their_own_shapes(api):
    thread = api.generated_post(channel="twitter", topic="Launch week")["content"]
    assert thread["thread"] and all(len(t) <= 280 for t in thread["thread"])
    linkedin = api.generated_post(channel="linkedin", topic="Hiring engineers")["content"]
    assert 0 < len(linkedin["text"]) <= 3000
    email = api.generated_post(channel="email", topic="Monthly product news")["content"]
    assert email["subject"] and email["preheader"] and email["body"]
    for content in (thread, linkedin, email):
        assert content["markdown"] and content["word_count"] > 0


def test_metadata_is_returned_unchanged(api):
    post = api.generated_post(metadata={"campaign": "q4", "owner": "ana"})
    assert post["metadata"] == {"campaign": "q4", "owner": "ana"}


@pytest.mark.parametrize(
    "fields,status,code",
    [
        ({"topic": "x" * 201}, 400, "TOPIC_TOO_LONG"),
        ({"custom_instructions": "y" * 2001}, 400, "INSTRUCTIONS_TOO_LONG"),
        ({"topic": ""}, 400, "VALIDATION_ERROR"),
        ({"topic": "   "}, 400, "VALIDATION_ERROR"),
        ({"voice": "pirate"}, 400, "VALIDATION_ERROR"),
        ({"target_length": "huge"}, 400, "VALIDATION_ERROR"),
        ({"channel": "fax"}, 400, "VALIDATION_ERROR"),
        ({"unknown": 1}, 400, "VALIDATION_ERROR"),
        ({"voice": "gen_z"}, 403, "VOICE_NOT_AVAILABLE"),
        ({"project_id": "0" * 24}, 404, "PROJECT_NOT_FOUND"),
        ({"source_ids": ["0" * 24]}, 404, "SOURCE_NOT_FOUND"),
    ],
)
def test_bad_requests_get_the_documented_code_and_start_nothing(api, app, fields, status, code):
    response = api.generate(**fields)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["detail"]["code"] == code
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Post)).scalar() == 0
        assert db.session.execute(db.select(db.func.count()).select_from(Job)).scalar() == 0


def test_a_source_still_parsing_is_invalid(api, app):
    with worker_paused(api.worker):
        response = api.client.post(
            f"/api/v1/sources/projects/{api.project['id']}/sources",
            headers=api.headers,
            data={"file": (io.BytesIO(b"Notes to parse."), "notes.txt")},
        )
        source_id = response.get_json()["id"]
        generated = api.generate(source_ids=[source_id])
    assert generated.status_code == 400
    assert generated.get_json()["detail"]["code"] == "INVALID_SOURCE"


def test_another_users_project_and_sources_are_not_found(api, client, auth):
    other = Api(client, auth.headers(email="other@example.com"), api.worker)
    other_source = other.parsed_source(["Their private notes."])
    response = api.generate(project_id=other.project["id"])
    assert response.status_code == 404
    assert response.get_json()["detail"]["code"] == "PROJECT_NOT_FOUND"
    response = api.generate(source_ids=[other_source])
    assert response.status_code == 404
    post = other.generated_post()
    assert api.post(post["id"]).status_code == 404
    assert api.job(post["job_id"]).status_code == 404
    assert client.delete(f"/api/v1/posts/{post['id']}", headers=api.headers).status_code == 404
    assert other.post(post["id"]).status_code == 200


def test_quota_exceeded_after_the_plan_limit(api, app, client):
    user_id = client.get("/api/v1/users/me", headers=api.headers).get_json()["id"]
    with app.app_context():
        for _ in range(10):
            plans.charge_post(user_id)
        db.session.commit()
    response = api.generate()
    assert response.status_code == 403
    assert response.get_json()["detail"]["code"] == "QUOTA_EXCEEDED"


def test_free_plan_runs_one_generation_at_a_time_and_rejects_duplicates(api):
    with worker_paused(api.worker):
        first = api.generate()
        assert first.status_code == 202
        again = api.generate()
        assert again.status_code == 429
        assert again.get_json()["detail"]["code"] == "CONCURRENT_LIMIT_EXCEEDED"
    api.finished_job(first.get_json()["job_id"])


def test_same_topic_while_generating_is_already_generating(app, client, auth, worker):
    make_user(app, email="pro@example.com", plan="pro")
    api = Api(client, auth.headers(email="pro@example.com"), worker)
    with worker_paused(worker):
        first = api.generate(topic="Pricing pages")
        duplicate = api.generate(topic="  pricing   PAGES ")
        other_topic = api.generate(topic="Onboarding emails")
    assert first.status_code == 202 and other_topic.status_code == 202
    assert duplicate.status_code == 409
    assert duplicate.get_json()["detail"]["code"] == "ALREADY_GENERATING"
    for response in (first, other_topic):
        api.finished_job(response.get_json()["job_id"])


def test_list_filter_paginate_and_delete_without_refund(api, client):
    first = api.generated_post(topic="First topic")
    second = api.generated_post(topic="Second topic")
    url = f"/api/v1/posts/projects/{api.project['id']}/posts"
    listed = client.get(url, headers=api.headers).get_json()
    assert listed["total"] == 2
    assert [p["id"] for p in listed["posts"]] == [second["id"], first["id"]]
    assert set(listed["posts"][0]) >= {
        "id",
        "project_id",
        "topic",
        "voice",
        "status",
        "word_count",
        "created_at",
    }
    page = client.get(url + "?limit=1&offset=1", headers=api.headers).get_json()
    assert page["total"] == 2 and [p["id"] for p in page["posts"]] == [first["id"]]
    assert client.get(url + "?status=failed", headers=api.headers).get_json()["total"] == 0
    assert client.get(url + "?status=bogus", headers=api.headers).status_code == 400

    assert client.delete(f"/api/v1/posts/{first['id']}", headers=api.headers).status_code == 204
    assert api.post(first["id"]).status_code == 404
    assert quota(client, api.headers)["posts_used"] == 2


def test_test_mode_key_writes_offline_and_charges_nothing(api, client):
    key = client.post(
        "/api/v1/api-keys", headers=api.headers, json={"name": "CI", "mode": "test"}
    ).get_json()
    headers = {"X-API-Key": key["key"]}
    response = client.post(
        "/api/v1/posts/generate",
        headers=headers,
        json={"project_id": api.project["id"], "topic": "Test mode", "voice": "casual"},
    )
    assert response.status_code == 202
    job = api.finished_job(response.get_json()["job_id"])
    assert job["status"] == "completed"
    assert quota(client, api.headers)["posts_used"] == 0


def test_idempotency_key_replays_the_same_job(api):
    first = api.client.post(
        "/api/v1/posts/generate",
        headers={**api.headers, "Idempotency-Key": "gen-1"},
        json={"project_id": api.project["id"], "topic": "Once", "voice": "casual"},
    )
    again = api.client.post(
        "/api/v1/posts/generate",
        headers={**api.headers, "Idempotency-Key": "gen-1"},
        json={"project_id": api.project["id"], "topic": "Once", "voice": "casual"},
    )
    assert first.status_code == again.status_code == 202
    assert first.get_json()["job_id"] == again.get_json()["job_id"]
    api.finished_job(first.get_json()["job_id"])
