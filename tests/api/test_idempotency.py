"""Idempotency-Key: what is kept (an HMAC, never a password or a secret), whose key it is,
a duplicate sent while the first request runs, and the 24-hour purge."""

import hashlib
import json
import threading
from datetime import timedelta

import pytest
import requests

from webapp.api.endpoint import endpoint
from webapp.api.schemas.api_keys import CreatedApiKey
from webapp.extensions import db
from webapp.models import IdempotencyRecord
from webapp.services import idempotency
from webapp.timeutil import utcnow

from ..conftest import wait_for
from ..factories import DEFAULT_PASSWORD, make_user
from .test_conventions import assert_envelope

PROJECTS = "/api/v1/projects"


def stored_rows(app) -> list[tuple]:
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(db.text("SELECT * FROM idempotency_records")).all()
        ]


def register_body(email: str, password: str = DEFAULT_PASSWORD) -> bytes:
    return json.dumps({"email": email, "password": password, "name": "Ann"}).encode()


def post_json(client, path: str, body: bytes, headers: dict):
    return client.post(path, data=body, content_type="application/json", headers=headers)


def test_register_keeps_neither_the_password_nor_a_plain_hash_of_it(client, app):
    password = "Correct-Horse-Battery-9"
    body = register_body("ann@example.com", password)
    headers = {"Idempotency-Key": "signup-1"}
    first = post_json(client, "/api/v1/auth/register", body, headers)
    again = post_json(client, "/api/v1/auth/register", body, headers)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"

    guessable = {
        password,
        hashlib.sha256(password.encode()).hexdigest(),
        hashlib.sha256(body).hexdigest(),
        hashlib.sha256(b"POST /api/v1/auth/register\n" + body).hexdigest(),
    }
    (row,) = stored_rows(app)
    for column in row:
        assert not any(secret in str(column) for secret in guessable)


def test_strangers_using_the_same_key_for_register_never_meet(client, app):
    headers = {"Idempotency-Key": "my-first-account"}
    ann = post_json(client, "/api/v1/auth/register", register_body("ann@example.com"), headers)
    bob = post_json(client, "/api/v1/auth/register", register_body("bob@example.com"), headers)
    assert ann.status_code == bob.status_code == 201
    assert ann.get_json()["email"] == "ann@example.com"
    assert bob.get_json()["email"] == "bob@example.com"
    assert "Idempotent-Replayed" not in bob.headers
    with app.app_context():
        scopes = db.session.execute(db.select(IdempotencyRecord.scope)).scalars().all()
    assert len(set(scopes)) == 2 and "anon" not in scopes


def test_api_key_secret_is_never_stored_and_a_retry_creates_no_second_key(client, auth, app):
    headers = {**auth.headers(), "Idempotency-Key": "ci-key"}
    body = json.dumps({"name": "CI"}).encode()
    created = post_json(client, "/api/v1/api-keys", body, headers)
    assert created.status_code == 201
    secret = created.get_json()["key"]
    for row in stored_rows(app):
        assert not any(secret in str(column) for column in row)

    retry = post_json(client, "/api/v1/api-keys", body, headers)
    detail = assert_envelope(retry, 409, "IDEMPOTENCY_REPLAY_UNAVAILABLE")
    assert secret not in retry.get_data(as_text=True) and "secret" in detail["message"]
    listed = client.get("/api/v1/api-keys", headers=headers).get_json()
    assert listed["total"] == 1
    spec = client.get("/api/v1/openapi.json").get_json()
    assert (
        "IDEMPOTENCY_REPLAY_UNAVAILABLE" in spec["paths"]["/api/v1/api-keys"]["post"]["description"]
    )


def test_an_endpoint_answering_with_a_secret_cannot_keep_it_for_replays():
    with pytest.raises(TypeError, match="replay=False"):
        endpoint("Create a key", tag="Keys", response=CreatedApiKey)
    assert endpoint("Create a key", tag="Keys", response=CreatedApiKey, replay=False)


def claim_in_flight(app, user_id: str, key: str, body: bytes) -> str:
    """What the first request does before it runs: claim the key (for POST /projects)."""
    with app.app_context():
        fingerprint = idempotency.request_fingerprint("POST", "/api/v1" + "/projects", body)
        record = idempotency.claim_key(f"user:{user_id}", key, fingerprint)
        assert record.is_pending
        return record.id


def test_duplicate_while_the_first_runs_is_409_and_another_body_is_422(live_server, app, auth):
    user = make_user(app, email="ann@example.com")
    headers = {
        **auth.headers(email=user.email),
        "Idempotency-Key": "tech-blog",
        "Content-Type": "application/json",
    }
    body = json.dumps({"name": "Tech Blog"}).encode()
    claim_id = claim_in_flight(app, user.id, "tech-blog", body)

    url = live_server.url + PROJECTS
    same = requests.post(url, data=body, headers=headers, timeout=10)
    assert same.status_code == 409
    assert same.json()["detail"]["code"] == "IDEMPOTENCY_IN_PROGRESS"
    other = requests.post(url, data=b'{"name": "Other"}', headers=headers, timeout=10)
    assert other.status_code == 422
    assert other.json()["detail"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert requests.get(url, headers=headers, timeout=10).json()["total"] == 0

    with app.app_context():  # the first request failed: its claim is released
        idempotency.release_claim(claim_id)
    retry = requests.post(url, data=body, headers=headers, timeout=10)
    assert retry.status_code == 201
    assert requests.get(url, headers=headers, timeout=10).json()["total"] == 1


def test_a_claim_left_by_a_crashed_process_is_taken_over(client, app, auth):
    user = make_user(app, email="ann@example.com")
    headers = {**auth.headers(email=user.email), "Idempotency-Key": "tech-blog"}
    body = json.dumps({"name": "Tech Blog"}).encode()
    claim_id = claim_in_flight(app, user.id, "tech-blog", body)
    with app.app_context():
        db.session.get(IdempotencyRecord, claim_id).created_at = utcnow() - timedelta(minutes=6)
        db.session.commit()
    assert post_json(client, PROJECTS, body, headers).status_code == 201
    replay = post_json(client, PROJECTS, body, headers)
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert client.get(PROJECTS, headers=headers).get_json()["total"] == 1


def test_a_failed_first_request_releases_its_key(client, auth):
    headers = {**auth.headers(), "Idempotency-Key": "k"}
    missing_project = "/api/v1/links/projects/000000000000000000000000/opportunities"
    body = b'{"target_url": "https://example.com/", "keywords": ["a"]}'
    for _ in range(2):  # the retry runs again: no claim is left behind to answer 409
        assert_envelope(post_json(client, missing_project, body, headers), 404, "PROJECT_NOT_FOUND")
    assert post_json(client, PROJECTS, b'{"name": "A"}', headers).status_code == 201


def test_parallel_duplicates_at_two_processes_create_one_project(start_server):
    server = start_server(WEB_CONCURRENCY="2")
    requests.post(
        f"{server}/api/v1/auth/register",
        timeout=10,
        json={"email": "race@example.com", "password": DEFAULT_PASSWORD, "name": "R"},
    )
    token = requests.post(
        f"{server}/api/v1/auth/login",
        timeout=10,
        json={"email": "race@example.com", "password": DEFAULT_PASSWORD},
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "race"}
    start = threading.Barrier(8)
    answers = []

    def submit():
        start.wait()
        answers.append(
            requests.post(f"{server}{PROJECTS}", json={"name": "Race"}, headers=headers, timeout=30)
        )

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    created = [a for a in answers if a.status_code == 201]
    refused = [a for a in answers if a.status_code != 201]
    assert created and len({a.json()["id"] for a in created}) == 1
    assert all(
        a.status_code == 409 and a.json()["detail"]["code"] == "IDEMPOTENCY_IN_PROGRESS"
        for a in refused
    )
    listed = requests.get(f"{server}{PROJECTS}", headers=headers, timeout=10).json()
    assert listed["total"] == 1


def age_records(app, hours: float) -> None:
    with app.app_context():
        db.session.execute(
            db.update(IdempotencyRecord).values(created_at=utcnow() - timedelta(hours=hours))
        )
        db.session.commit()


def test_records_older_than_a_day_are_purged(client, auth, app):
    headers = auth.headers()
    post_json(client, PROJECTS, b'{"name": "Old"}', {**headers, "Idempotency-Key": "old"})
    age_records(app, hours=25)
    post_json(client, PROJECTS, b'{"name": "New"}', {**headers, "Idempotency-Key": "new"})
    with app.app_context():
        assert idempotency.purge_expired() == 1
        assert [r.key for r in db.session.execute(db.select(IdempotencyRecord)).scalars()] == [
            "new"
        ]


def test_the_worker_purges_old_records(client, auth, app, worker):
    post_json(client, PROJECTS, b'{"name": "Old"}', {**auth.headers(), "Idempotency-Key": "old"})
    age_records(app, hours=25)
    wait_for(lambda: not stored_rows(app), timeout=60, interval=1)
