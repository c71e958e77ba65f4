#!/usr/bin/env python
"""Fault soak: nothing is lost when a worker is killed and Redis loses its data midway.

    .venv/bin/python bench/soak.py                     # SQLite, a temporary file
    .venv/bin/python bench/soak.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/soak

It starts, all on loopback: a Redis of its own (`redis-server` on a free port, no
persistence, so a restart wipes it), the loopback model server (`tests/llm_server.py`),
`gunicorn wsgi:app` and two `python worker.py`. Twenty users send 200 generation requests
over the API (ten each, a few threads at a time). Midway one worker is SIGKILLed while it
writes, then Redis is stopped for a few seconds and started again empty: submits during the
outage must answer 503, pages must keep answering. A fresh worker replaces the killed one.

Afterwards, from the database:
- every accepted job is `completed`, or `failed` with a reason: none queued or processing;
- no post was written twice (one post per generation job, none completed without its job);
- each user's quota used equals their completed posts, and nothing stays reserved.

Exit status 0 when every check passes, 1 otherwise. Takes 2-5 minutes on 2 CPUs.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generation_bench import Stack, prepare_database, wait_until  # noqa: E402
from tests.conftest import free_port  # noqa: E402

USERS = 20
REQUESTS_PER_USER = 10
PASSWORD = "SoakPassword123!"
CHANNELS = ("linkedin", "twitter", "blog")
MODEL_DELAY = 0.2
OUTAGE_SECONDS = 4
SETTLE_TIMEOUT = 300


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument(
        "--redis-server",
        default=shutil.which("redis-server"),
        help="the redis-server binary (default: the one on PATH)",
    )
    return parser.parse_args()


# ------------------------------------------------------------------------ the processes


class SoakRedis:
    """A private, memory-only Redis: stopping and starting it again wipes every key."""

    def __init__(self, binary: str, workdir: Path):
        self.binary, self.workdir = binary, workdir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=open(self.workdir / "redis.log", "a"),
            stderr=subprocess.STDOUT,
        )
        wait_until(self.answers, "redis did not start", timeout=15, interval=0.05)

    def answers(self) -> bool:
        import redis

        try:
            return redis.Redis.from_url(self.url, socket_timeout=1).ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def soak_environment(database_url: str, redis_url: str, workdir: Path) -> dict:
    return {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDIS_KEY_PREFIX": f"copydesk-soak-{secrets.token_hex(4)}",
        "UPLOAD_DIR": str(workdir / "uploads"),
        "MAIL_OUTBOX_DIR": str(workdir / "outbox"),
        "SESSION_COOKIE_SECURE": "false",
        "LOG_LEVEL": "INFO",
        "DEFAULT_PLAN": "pro",
        "RATELIMIT_ENABLED": "false",
        "LLM_MODEL": "openai/soak-model",
        "LLM_API_KEY": "sk-soak",
        "LLM_RETRY_BASE_SECONDS": "0.1",
        "JOB_STALE_SECONDS": "10",
    }


def start_worker(stack: Stack, name: str) -> None:
    stack.start(name, [sys.executable, "worker.py"], lambda log: "Listening on" in log.read_text())


def start_web(stack: Stack) -> None:
    port = free_port()
    stack.start(
        "web",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-b",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "8",
            "wsgi:app",
        ],
        lambda log: "Booting worker" in log.read_text(),
    )
    stack.web_url = f"http://127.0.0.1:{port}"
    wait_until(lambda: _status(stack.web_url + "/healthz") == 200, "web did not answer")


def start_model(stack: Stack) -> None:
    port = free_port()
    stack.start(
        "model",
        [sys.executable, "-m", "tests.llm_server", "--port", str(port)],
        lambda log: "http://" in log.read_text(),
    )
    stack.env["LLM_API_BASE"] = f"http://127.0.0.1:{port}/v1"
    requests.post(f"http://127.0.0.1:{port}/control", json={"delay": MODEL_DELAY}, timeout=5)


def _status(url: str) -> int:
    try:
        return requests.get(url, timeout=5).status_code
    except requests.RequestException:
        return 0


# --------------------------------------------------------------------------- the load


class Tally:
    """What the clients saw, shared by their threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.accepted: list[str] = []
        self.answers: Counter = Counter()
        self.submitted = 0

    def record(self, status: int, code: str | None, job_id: str | None) -> None:
        with self.lock:
            self.submitted += 1
            self.answers[f"{status} {code or ''}".strip()] += 1
            if job_id:
                self.accepted.append(job_id)


def user_session(base: str, email: str) -> requests.Session:
    http = requests.Session()
    token = http.post(
        base + "/auth/login", json={"email": email, "password": PASSWORD}, timeout=30
    ).json()["access_token"]
    http.headers["Authorization"] = f"Bearer {token}"
    return http


def run_user(base: str, email: str, tally: Tally, index: int) -> None:
    """Ten generation requests, each sent again while the plan's concurrency is full or the
    queue is down (503), as a client would."""
    http = user_session(base, email)
    project = http.post(base + "/projects", json={"name": f"Soak {index}"}, timeout=30).json()
    for number in range(REQUESTS_PER_USER):
        body = {
            "project_id": project["id"],
            "topic": f"Soak topic {index}-{number}",
            "voice": "professional",
            "target_length": "short",
            "channel": CHANNELS[(index + number) % len(CHANNELS)],
        }
        submit_until_answered(http, base, body, tally)


def submit_until_answered(http: requests.Session, base: str, body: dict, tally: Tally) -> None:
    for _ in range(200):
        try:
            response = http.post(base + "/posts/generate", json=body, timeout=30)
        except requests.RequestException:
            tally.record(0, "NO_ANSWER", None)
            time.sleep(0.5)
            continue
        payload = (
            response.json()
            if response.headers.get("Content-Type", "").startswith("application/json")
            else {}
        )
        code = (payload.get("detail") or {}).get("code") if response.status_code >= 400 else None
        job_id = payload.get("job_id") if response.status_code == 202 else None
        tally.record(response.status_code, code, job_id)
        if code in ("CONCURRENT_LIMIT_EXCEEDED", "SERVICE_UNAVAILABLE"):
            time.sleep(0.3 if response.status_code == 429 else 0.5)
            continue
        return


# -------------------------------------------------------------------------- the faults


def inject_faults(stack: Stack, redis_server: SoakRedis, tally: Tally, log: list[str]) -> None:
    """When half the requests are in: kill a busy worker, then wipe Redis for a while."""
    wait_until(
        lambda: tally.submitted >= USERS * REQUESTS_PER_USER // 2,
        "the load never reached its midpoint",
        timeout=300,
        interval=0.1,
    )
    victim = stack.processes.pop("worker-1")
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    log.append(f"t+{time.monotonic() - START:.1f}s worker-1 SIGKILLed")
    redis_server.stop()
    log.append(f"t+{time.monotonic() - START:.1f}s redis stopped")
    outage_end = time.monotonic() + OUTAGE_SECONDS
    pages = []
    while time.monotonic() < outage_end:
        pages.append(_status(stack.web_url + "/login"))
        time.sleep(0.5)
    redis_server.start()
    log.append(
        f"t+{time.monotonic() - START:.1f}s redis back, empty; pages during the "
        f"outage answered {dict(Counter(pages))}"
    )
    start_worker(stack, "worker-3")
    log.append(f"t+{time.monotonic() - START:.1f}s worker-3 started")


# ------------------------------------------------------------------------- the verdict


def settle_and_check(env: dict, accepted: list[str]) -> tuple[dict, list[str]]:
    """Wait until no accepted job is queued or processing; then the checks."""
    from webapp import create_app
    from webapp.config import Config
    from webapp.extensions import db
    from webapp.models import Job, Post, Usage

    app = create_app(Config.from_env(env))
    with app.app_context():

        def unsettled() -> int:
            db.session.expire_all()
            return db.session.execute(
                db.select(db.func.count())
                .select_from(Job)
                .where(Job.id.in_(accepted), Job.status.in_(("queued", "processing")))
            ).scalar_one()

        deadline = time.monotonic() + SETTLE_TIMEOUT
        while unsettled() and time.monotonic() < deadline:
            time.sleep(1)
        jobs = db.session.execute(db.select(Job).where(Job.id.in_(accepted))).scalars().all()
        posts = db.session.execute(db.select(Post)).scalars().all()
        usage = db.session.execute(db.select(Usage)).scalars().all()
        counts, problems = verdict(jobs, posts, usage, accepted)
        db.engine.dispose()
    return counts, problems


def verdict(jobs, posts, usage, accepted) -> tuple[dict, list[str]]:
    problems = []
    statuses = Counter(job.status for job in jobs)
    if len(jobs) != len(set(accepted)):
        problems.append(f"{len(set(accepted)) - len(jobs)} accepted job(s) have no row")
    stuck = [job.id for job in jobs if job.status in ("queued", "processing")]
    if stuck:
        problems.append(f"{len(stuck)} job(s) stuck: {stuck[:5]}")
    silent = [job.id for job in jobs if job.status == "failed" and not job.error_message]
    if silent:
        problems.append(f"{len(silent)} failed job(s) without a reason: {silent[:5]}")
    per_job = Counter(post.job_id for post in posts)
    doubled = [job_id for job_id, count in per_job.items() if count > 1]
    if doubled:
        problems.append(f"{len(doubled)} job(s) wrote more than one post")
    job_status = {job.id: job.status for job in jobs}
    orphans = [
        p.id for p in posts if p.status == "completed" and job_status.get(p.job_id) != "completed"
    ]
    if orphans:
        problems.append(f"{len(orphans)} completed post(s) whose job is not completed")
    completed = Counter(p.user_id for p in posts if p.status == "completed")
    used = Counter()
    reserved = 0
    for row in usage:
        used[row.user_id] += row.posts_used
        reserved += getattr(row, "posts_reserved", 0) or 0
    if used != completed:
        wrong = {
            u: (used[u], completed[u])
            for u in set(used) | set(completed)
            if used[u] != completed[u]
        }
        problems.append(
            f"quota used != completed posts for {len(wrong)} user(s): "
            f"{dict(list(wrong.items())[:5])}"
        )
    if reserved:
        problems.append(f"{reserved} quota unit(s) still reserved")
    reasons = Counter((job.error_message or "")[:70] for job in jobs if job.status == "failed")
    counts = {
        "accepted": len(set(accepted)),
        "statuses": dict(statuses),
        "posts": len(posts),
        "completed posts": sum(completed.values()),
        "quota used": sum(used.values()),
        "failure reasons": dict(reasons),
    }
    return counts, problems


# ------------------------------------------------------------------------------ main

START = time.monotonic()


def main() -> int:
    args = parse_args()
    if not args.redis_server:
        raise SystemExit("redis-server not found: install it or pass --redis-server")
    workdir = Path(tempfile.mkdtemp(prefix="copydesk-soak-"))
    redis_server = SoakRedis(args.redis_server, workdir)
    redis_server.start()
    database_url = args.database_url or f"sqlite:///{workdir / 'soak.db'}"
    stack = Stack(env=soak_environment(database_url, redis_server.url, workdir), workdir=workdir)
    events: list[str] = []
    try:
        stack.users = prepare_database(stack.env, USERS, "soak", PASSWORD)
        start_model(stack)
        start_worker(stack, "worker-1")
        start_worker(stack, "worker-2")
        start_web(stack)
        tally = Tally()
        faults = threading.Thread(target=inject_faults, args=(stack, redis_server, tally, events))
        faults.start()
        base = stack.web_url + "/api/v1"
        with ThreadPoolExecutor(max_workers=USERS) as pool:
            list(
                pool.map(
                    lambda item: run_user(base, item[1], tally, item[0]), enumerate(stack.users)
                )
            )
        faults.join()
        counts, problems = settle_and_check(stack.env, tally.accepted)
    finally:
        stack.stop_all()
        redis_server.stop()
    report(tally, counts, problems, events, time.monotonic() - START)
    if not problems:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"logs kept in {workdir}")
    return 1 if problems else 0


def report(
    tally: Tally, counts: dict, problems: list[str], events: list[str], seconds: float
) -> None:
    print("\n".join(events))
    print(f"requests sent: {tally.submitted}; answers: {dict(tally.answers)}")
    for name, value in counts.items():
        print(f"{name}: {value}")
    print(f"took {seconds:.0f} s")
    print("PASSED: nothing lost" if not problems else "FAILED:\n  " + "\n  ".join(problems))


if __name__ == "__main__":
    sys.exit(main())
