#!/usr/bin/env python
"""Generation benchmark: a real `python worker.py` and `gunicorn wsgi:app` writing posts
with litellm against the loopback model server (`tests/llm_server.py`, its own process)
answering after a fixed delay.

    .venv/bin/python bench/generation_bench.py            # full run (~4 minutes)
    .venv/bin/python bench/generation_bench.py --quick    # fewer jobs, shorter delays

Figures (goals from issue 5):

    start     enqueue -> job start over N jobs, one at a time, warm worker: RQ's
              `enqueued_at` to the moment our task marked the job `processing` (p50 ≤ 20 ms,
              p99 ≤ 60 ms); RQ's own pickup (`enqueued_at` -> RQ `started_at`) beside it
    poll      GET /api/v1/jobs/{id} over HTTP while a job runs (p95 ≤ 10 ms)
    single    a single-call post (linkedin) end to end (job created -> finished) vs the
              model's delay (overhead < 10 %)
    long      a `long` blog post (outline + intro + 6 sections + conclusion), 1 s per call:
              wall time with the worker's parallel calls (≤ 2.5 s) and with
              LLM_MAX_PARALLEL_CALLS=1; also with each call's 1 s split into 0.5 s to the
              first chunk and 0.5 s of streaming, as a real model sends text
    rss       the worker's resident memory after warm-up and after 100 more jobs (growth
              ≤ 10 %)

Database: a temporary SQLite file unless --database-url is given. Redis: --redis-url
(default redis://127.0.0.1:6379/0) under a key prefix of its own, removed at the end.
Exit status: 0 when every goal passes (always 0 with --quick), 1 otherwise. See
bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import free_port, stop_process  # noqa: E402  (the tests' process helpers)

GOALS = {
    "start_p50_ms": 20,
    "start_p99_ms": 60,
    "poll_p95_ms": 10,
    "single_overhead_pct": 10,
    "long_parallel_s": 2.5,
    "rss_growth_pct": 10,
}
POLL_USERS = 4
POLLS_PER_USER = 80  # with the user's other calls, under the API's 100 requests/minute


@dataclass
class Stack:
    """The processes under test and how to reach them."""

    env: dict
    workdir: Path
    web_url: str = ""
    model_url: str = ""
    users: dict = field(default_factory=dict)  # email -> user id
    processes: dict = field(default_factory=dict)

    def start(self, name: str, args: list[str], ready, **extra_env) -> subprocess.Popen:
        log_path = self.workdir / f"{name}.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                args, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**self.env, **extra_env}
            )
        self.processes[name] = process
        wait_until(
            lambda: ready(log_path), f"{name} did not start (see {log_path})", process=process
        )
        return process

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is not None:
            stop_process(process)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)


def wait_until(predicate, message: str, timeout: float = 60, interval: float = 0.005, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if process is not None and process.poll() is not None:
            raise SystemExit(f"{message}: the process exited")
        time.sleep(interval)
    raise SystemExit(message)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


# ----------------------------------------------------------------------------- set-up


def bench_environment(args, workdir: Path) -> dict:
    prefix = f"copydesk-bench-{secrets.token_hex(4)}"
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
    return {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "REDIS_URL": args.redis_url,
        "REDIS_KEY_PREFIX": prefix,
        "UPLOAD_DIR": str(workdir / "uploads"),
        "SESSION_COOKIE_SECURE": "false",
        "LOG_LEVEL": "INFO",
        "DEFAULT_PLAN": "enterprise",
        "LLM_MODEL": "openai/bench-model",
        "LLM_API_KEY": "sk-bench",
        "LLM_RETRY_BASE_SECONDS": "0.1",
    }


def prepare_database(
    env: dict,
    count: int = POLL_USERS + 1,
    prefix: str = "bench",
    password: str = "BenchPassword123!",
) -> dict:
    """Migrate an empty database and create `count` users `<prefix><n>@example.com`;
    returns {email: user id}."""
    from flask_migrate import upgrade
    from sqlalchemy import MetaData

    from webapp import create_app
    from webapp.config import Config
    from webapp.extensions import db
    from webapp.services import accounts

    app = create_app(Config.from_env(env))
    users = {}
    with app.app_context():
        existing = MetaData()
        existing.reflect(bind=db.engine)
        existing.drop_all(bind=db.engine)
        upgrade()
        for index in range(count):
            user = accounts.register_user(
                f"{prefix}{index}@example.com", password, f"{prefix.title()} {index}"
            )
            users[user.email] = user.id
        db.engine.dispose()
    return users


def start_stack(args, workdir: Path) -> Stack:
    stack = Stack(env=bench_environment(args, workdir), workdir=workdir)
    stack.users = prepare_database(stack.env)
    model_port = free_port()
    stack.start(
        "model",
        [sys.executable, "-m", "tests.llm_server", "--port", str(model_port)],
        lambda log: "http://" in log.read_text(),
    )
    stack.model_url = f"http://127.0.0.1:{model_port}"
    stack.env["LLM_API_BASE"] = stack.model_url + "/v1"
    start_worker(stack)
    web_port = free_port()
    stack.start(
        "web",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-b",
            f"127.0.0.1:{web_port}",
            "--workers",
            "1",
            "--threads",
            "8",
            "wsgi:app",
        ],
        lambda log: "Booting worker" in log.read_text(),
    )
    stack.web_url = f"http://127.0.0.1:{web_port}"
    wait_until(lambda: _answers(stack.web_url + "/healthz"), "web did not answer")
    return stack


def start_worker(stack: Stack, **extra_env) -> None:
    stack.stop("worker")
    stack.start(
        "worker",
        [sys.executable, "worker.py"],
        lambda log: "Listening on" in log.read_text(),
        **extra_env,
    )


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def set_model_pacing(stack: Stack, delay: float, chunk_delay: float = 0.0) -> None:
    requests.post(
        stack.model_url + "/control", json={"delay": delay, "chunk_delay": chunk_delay}, timeout=5
    )


class Api:
    """A signed-in API client (JWT) of one bench user."""

    def __init__(self, stack: Stack, email: str):
        self.base = stack.web_url + "/api/v1"
        self.http = requests.Session()
        token = self.http.post(
            self.base + "/auth/login",
            json={"email": email, "password": "BenchPassword123!"},
            timeout=10,
        ).json()
        self.http.headers["Authorization"] = f"Bearer {token['access_token']}"
        self.project_id = self.http.post(
            self.base + "/projects", json={"name": f"Bench {email}"}, timeout=10
        ).json()["id"]

    def generate(self, topic: str, channel: str = "blog", length: str = "medium") -> str:
        response = self.http.post(
            self.base + "/posts/generate",
            json={
                "project_id": self.project_id,
                "topic": topic,
                "voice": "professional",
                "target_length": length,
                "channel": channel,
            },
            timeout=10,
        )
        assert response.status_code == 202, response.text
        return response.json()["job_id"]

    def job(self, job_id: str) -> dict:
        return self.http.get(f"{self.base}/jobs/{job_id}", timeout=10).json()


# ------------------------------------------------------------------------ measurements


class JobClock:
    """Reads a job's timestamps straight from the database and RQ, without the web."""

    def __init__(self, stack: Stack):
        from sqlalchemy import create_engine, text

        from webapp.config import engine_options, normalise_database_url

        url = normalise_database_url(stack.env["DATABASE_URL"])
        self.engine = create_engine(url, **engine_options(url))
        self.query = text(
            "SELECT status, created_at, started_at, finished_at FROM jobs WHERE id = :id"
        )
        self.redis = redis.Redis.from_url(stack.env["REDIS_URL"])

    def row(self, job_id: str):
        with self.engine.connect() as connection:
            return connection.execute(self.query, {"id": job_id}).one()

    def wait_finished(self, job_id: str, timeout: float = 120):
        def finished():
            row = self.row(job_id)
            return row if row.status in ("completed", "failed", "cancelled") else None

        row = wait_until(finished, f"job {job_id} did not finish", timeout, interval=0.01)
        if row.status != "completed":
            raise SystemExit(f"job {job_id} ended {row.status}")
        return row

    def rq_times(self, job_id: str) -> tuple[datetime, datetime]:
        from rq.job import Job as RQJob

        job = RQJob.fetch(job_id, connection=self.redis)
        return job.enqueued_at, job.started_at


def as_utc(moment) -> datetime:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


class DirectSubmitter:
    """Requests generations in this process through the same service the API calls
    (`posts.request_generation`), so that hundreds of jobs are not slowed by the API's
    per-user rate limit."""

    def __init__(self, stack: Stack, email: str):
        from webapp import create_app
        from webapp.config import Config

        self.app = create_app(Config.from_env(stack.env))
        self.user_id = stack.users[email]
        with self.app.app_context():
            from webapp.services import projects

            self.project_id = projects.create_project(self._user(), "Bench direct", None).id

    def _user(self):
        from webapp.extensions import db
        from webapp.models import User

        return db.session.get(User, self.user_id)

    def generate(self, topic: str, channel: str, length: str) -> str:
        from webapp.services import posts

        with self.app.app_context():
            return posts.request_generation(
                self._user(),
                project_id=self.project_id,
                topic=topic,
                voice="professional",
                target_length=length,
                channel=channel,
            ).id


def measure_start_latency(
    stack: Stack, submitter: DirectSubmitter, clock: JobClock, jobs: int, warmup: int
) -> dict:
    """One job at a time (single-call posts, instant model): enqueue -> start, and the
    worker's RSS after warm-up and after 100 more jobs."""
    set_model_pacing(stack, 0.0)
    worker_pid = stack.processes["worker"].pid
    starts, pickups, rss = [], [], {}
    for index in range(warmup + jobs):
        job_id = submitter.generate(f"Start latency sample {index}", "linkedin", "short")
        row = clock.wait_finished(job_id)
        enqueued, rq_started = clock.rq_times(job_id)
        if index >= warmup:
            starts.append((as_utc(row.started_at) - as_utc(enqueued)).total_seconds() * 1000)
            pickups.append((as_utc(rq_started) - as_utc(enqueued)).total_seconds() * 1000)
        if index + 1 == warmup:
            rss["warm"] = rss_mb(worker_pid)
        if index + 1 == warmup + 100:
            rss["after_100"] = rss_mb(worker_pid)
        if index % 50 == 49:
            print(f"  {index + 1} jobs", flush=True)
        time.sleep(0.05)  # the worker goes back to waiting, as between real submissions
    rss.setdefault("after_100", rss_mb(worker_pid))
    return {"start_ms": starts, "rq_pickup_ms": pickups, "rss_mb": rss}


def measure_status_polls(stack: Stack, apis: list[Api], clock: JobClock) -> dict:
    """Each user starts a long post (streamed slowly) and polls it every 50 ms while it
    runs, over one keep-alive connection (http.client: the figure is the server's, not a
    client library's); latency of every poll answered while the job was processing."""
    set_model_pacing(stack, 0.0, chunk_delay=0.04)
    latencies, progress_seen = [], set()
    port = int(stack.web_url.rsplit(":", 1)[1])
    for index, api in enumerate(apis):
        job_id = api.generate(f"Status poll sample {index}", length="long")
        wait_until(
            lambda api=api, job_id=job_id: api.job(job_id)["status"] == "processing",
            "job never started",
            interval=0.02,
        )
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for _ in range(POLLS_PER_USER):
            started = time.perf_counter()
            connection.request(
                "GET",
                f"/api/v1/jobs/{job_id}",
                headers={"Authorization": api.http.headers["Authorization"]},
            )
            response = connection.getresponse()
            job = json.loads(response.read())
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status == 200, job
            if job["status"] != "processing":
                break
            latencies.append(elapsed)
            progress_seen.add(job["progress"])
            time.sleep(0.05)
        connection.close()
        clock.wait_finished(job_id)
    return {"poll_ms": latencies, "distinct_progress_values": len(progress_seen)}


def measure_single_call(stack: Stack, api: Api, clock: JobClock, delay: float, runs: int) -> dict:
    set_model_pacing(stack, delay)
    totals = []
    for index in range(runs):
        row = clock.wait_finished(
            api.generate(f"Single call sample {index}", channel="linkedin", length="short")
        )
        totals.append((as_utc(row.finished_at) - as_utc(row.created_at)).total_seconds())
    return {"delay_s": delay, "end_to_end_s": totals}


def measure_long_post(
    stack: Stack,
    api: Api,
    clock: JobClock,
    runs: int,
    label: str,
    delay: float = 1.0,
    chunk_delay: float = 0.0,
) -> list[float]:
    """Wall time (job created -> finished) of `long` blog posts: outline, then
    introduction, 6 sections and conclusion."""
    set_model_pacing(stack, delay, chunk_delay)
    totals = []
    for index in range(runs):
        row = clock.wait_finished(api.generate(f"Long post {label} {index}", length="long"))
        totals.append((as_utc(row.finished_at) - as_utc(row.created_at)).total_seconds())
    return totals


# ----------------------------------------------------------------------------- report


def summarise(results: dict) -> tuple[list[tuple], bool]:
    """Table rows (figure, value, goal, verdict) and whether every goal passed."""
    start, poll = results["start"]["start_ms"], results["poll"]["poll_ms"]
    single = results["single"]
    single_median = statistics.median(single["end_to_end_s"])
    overhead = (single_median - single["delay_s"]) / single["delay_s"] * 100
    long_parallel = statistics.median(results["long_parallel_s"])
    rss = results["start"]["rss_mb"]
    growth = (rss["after_100"] - rss["warm"]) / rss["warm"] * 100
    figures = [
        ("enqueue → start p50", percentile(start, 50), "ms", GOALS["start_p50_ms"]),
        ("enqueue → start p99", percentile(start, 99), "ms", GOALS["start_p99_ms"]),
        (
            "(RQ pickup p50 / p99)",
            (
                percentile(results["start"]["rq_pickup_ms"], 50),
                percentile(results["start"]["rq_pickup_ms"], 99),
            ),
            "ms",
            None,
        ),
        ("status poll p50", percentile(poll, 50), "ms", None),
        ("status poll p95", percentile(poll, 95), "ms", GOALS["poll_p95_ms"]),
        (f"single-call post, model delay {single['delay_s']:g} s", single_median, "s", None),
        ("single-call overhead", overhead, "%", GOALS["single_overhead_pct"]),
        ("long post, parallel calls", long_parallel, "s", GOALS["long_parallel_s"]),
        (
            "long post, 1 s per call incl. 0.5 s streaming",
            statistics.median(results["long_paced_s"]),
            "s",
            None,
        ),
        (
            "long post, one call at a time",
            statistics.median(results["long_sequential_s"]),
            "s",
            None,
        ),
        ("worker RSS warm → +100 jobs", (rss["warm"], rss["after_100"]), "MB", None),
        ("worker RSS growth", growth, "%", GOALS["rss_growth_pct"]),
    ]
    rows, passed = [], True
    for name, value, unit, goal in figures:
        shown = (
            " / ".join(f"{v:.1f}" for v in value)
            if isinstance(value, tuple)
            else f"{value:.2f}"
            if unit == "s"
            else f"{value:.1f}"
        )
        verdict = ""
        if goal is not None:
            ok = value <= goal
            passed &= ok
            verdict = "pass" if ok else "FAIL"
        rows.append((name, f"{shown} {unit}", f"≤ {goal} {unit}" if goal else "", verdict))
    return rows, passed


def print_table(rows: list[tuple], header: str) -> None:
    print(f"\n{header}\n")
    print("| Figure | Measured | Goal | |")
    print("|---|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def remove_keys(env: dict) -> None:
    client = redis.Redis.from_url(env["REDIS_URL"])
    for key in client.scan_iter(f"*{env['REDIS_KEY_PREFIX']}*", count=1000):
        client.delete(key)


def run(args) -> int:
    jobs, warmup = (30, 5) if args.quick else (200, 10)
    workdir = Path(tempfile.mkdtemp(prefix="copydesk-bench-"))
    stack = start_stack(args, workdir)
    try:
        emails = list(stack.users)
        clock = JobClock(stack)
        print(f"start latency: {warmup} warm-up + {jobs} jobs", flush=True)
        results = {
            "start": measure_start_latency(
                stack, DirectSubmitter(stack, emails[0]), clock, jobs, warmup
            )
        }
        main_api = Api(stack, emails[0])
        print("status polls while jobs run", flush=True)
        results["poll"] = measure_status_polls(
            stack, [Api(stack, email) for email in emails[1:]], clock
        )
        print("single-call posts", flush=True)
        results["single"] = measure_single_call(
            stack, main_api, clock, 0.5 if args.quick else 2.0, 2 if args.quick else 5
        )
        print("long posts", flush=True)
        results["long_parallel_s"] = measure_long_post(
            stack, main_api, clock, 1 if args.quick else 3, "parallel"
        )
        # The same 1 s per call, of which 0.5 s streaming (~80 chunks of the longest part)
        results["long_paced_s"] = measure_long_post(
            stack, main_api, clock, 1 if args.quick else 3, "paced", delay=0.5, chunk_delay=0.006
        )
        start_worker(stack, LLM_MAX_PARALLEL_CALLS="1")
        results["long_sequential_s"] = measure_long_post(stack, main_api, clock, 1, "sequential")
    finally:
        stack.stop_all()
        remove_keys(stack.env)
        shutil.rmtree(workdir, ignore_errors=True)
    database = "Postgres" if args.database_url else "SQLite"
    rows, passed = summarise(results)
    print_table(rows, f"Generation benchmark ({database}, {'quick' if args.quick else 'full'})")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 0 if passed or args.quick else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer jobs, shorter delays")
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--json", help="write every measurement to this file")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
