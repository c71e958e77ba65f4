"""Plan limits hold under concurrency: parallel submits over real HTTP, spread over two
gunicorn worker processes, with no worker taking the jobs (they stay queued). Each check
runs under the plan holder's lock, so exactly the allowed number is accepted."""

from __future__ import annotations

import threading
import uuid

import requests

from webapp.extensions import db
from webapp.models import Job, Post
from webapp.models.usage import QuotaReservation
from webapp.services import plans

from ..conftest import TEST_KEY_PREFIX
from ..factories import DEFAULT_PASSWORD, make_project, make_user

PARALLEL = 12


def idle_server(start_server) -> str:
    """Two gunicorn processes on a queue of their own that no worker listens to."""
    return start_server(workers=2, REDIS_KEY_PREFIX=f"{TEST_KEY_PREFIX}-{uuid.uuid4().hex[:6]}")


def signed_in(server: str, app, email: str, plan: str | None = None):
    user = make_user(app, email=email, plan=plan)
    project = make_project(app, user)
    token = requests.post(
        f"{server}/api/v1/auth/login",
        timeout=10,
        json={"email": email, "password": DEFAULT_PASSWORD},
    ).json()["access_token"]
    return user, project, {"Authorization": f"Bearer {token}"}


def parallel_submits(server: str, headers: dict, project_id: str) -> list[requests.Response]:
    """PARALLEL generation requests, released at the same instant, each its own topic
    (after a parallel warm-up, so that every server thread has its connections open)."""
    in_parallel(
        lambda index: requests.get(f"{server}/api/v1/users/me", headers=headers, timeout=60)
    )
    return in_parallel(
        lambda index: requests.post(
            f"{server}/api/v1/posts/generate",
            headers=headers,
            timeout=60,
            json={"project_id": project_id, "topic": f"Topic number {index}", "voice": "casual"},
        )
    )


def in_parallel(call) -> list[requests.Response]:
    barrier = threading.Barrier(PARALLEL)
    responses: list = [None] * PARALLEL

    def run(index: int) -> None:
        barrier.wait()
        responses[index] = call(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def codes(responses) -> list[str]:
    return sorted(r.json()["detail"]["code"] for r in responses if r.status_code != 202)


def count(app, model, **where) -> int:
    with app.app_context():
        query = db.select(db.func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.execute(query).scalar_one()


def test_twelve_parallel_submits_on_the_free_plan_are_accepted_once(start_server, app):
    server = idle_server(start_server)
    user, project, headers = signed_in(server, app, "free@example.com")
    responses = parallel_submits(server, headers, project.id)

    accepted = [r for r in responses if r.status_code == 202]
    refused = [r for r in responses if r.status_code != 202]
    assert len(accepted) == 1, [r.json() for r in responses]
    assert {r.status_code for r in refused} == {429}
    assert codes(refused) == ["CONCURRENT_LIMIT_EXCEEDED"] * (PARALLEL - 1)
    assert all(r.json()["detail"]["retry_after"] == 10 for r in refused)
    assert all(r.headers["Retry-After"] == "10" for r in refused)
    assert count(app, Job, user_id=user.id) == count(app, Post, user_id=user.id) == 1
    assert count(app, QuotaReservation, holder_id=user.id) == 1
    me = requests.get(f"{server}/api/v1/users/me", headers=headers, timeout=10).json()
    assert me["quota"]["posts_used"] == 0  # reserved, not charged


def test_parallel_submits_take_only_the_posts_left_in_the_quota(start_server, app):
    server = idle_server(start_server)
    user, project, headers = signed_in(server, app, "pro@example.com", plan="pro")
    with app.app_context():  # 197 of the pro plan's 200 posts already used this month
        plans.add_posts_used(user.id, 197)
        db.session.commit()
    responses = parallel_submits(server, headers, project.id)

    accepted = [r for r in responses if r.status_code == 202]
    assert len(accepted) == 3, [r.json() for r in responses]
    assert codes(responses) == ["QUOTA_EXCEEDED"] * (PARALLEL - 3)
    assert {r.status_code for r in responses if r.status_code != 202} == {403}
    assert count(app, Job, user_id=user.id) == 3
    me = requests.get(f"{server}/api/v1/users/me", headers=headers, timeout=10).json()
    assert me["quota"]["posts_used"] == 197 and me["quota"]["posts_limit"] == 200
