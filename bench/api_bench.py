#!/usr/bin/env python
"""API request path: Copydesk's `GET /api/v1/projects?limit=20` against a bare Flask app
returning the same JSON body, under the same gunicorn settings, measured in one run.

    .venv/bin/python bench/api_bench.py                      # SQLite, a temporary file
    .venv/bin/python bench/api_bench.py --duration 5 --repeats 3 --credential both
    .venv/bin/python bench/api_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/DB

It migrates an empty database, registers a user over the API, signs in
(`POST /auth/login`: a real access token) and creates 20 projects (and, for
`--credential api-key` / `both`, an API key), all over HTTP. Then it starts, each as
`gunicorn --worker-class gthread --workers W --threads T --access-logfile FILE`:

- **bare**: a Flask app whose only view answers `jsonify(body)`, `body` being the JSON that
  Copydesk answered for the same request (fetched once, before measuring);
- **copydesk**: `wsgi:app` with RATELIMIT_ENABLED=false and, as in production
  (scripts/run.py, Dockerfile), the access log through `webapp.access_log.RedactingLogger`.

wrk (2 threads, 16 connections, `--latency`) then runs against each in turn, interleaved
(bare, copydesk, bare, ...) `--repeats` times; the medians of requests/sec and of p99 are
compared. Goal (issue 12): copydesk ≥ 0.4× the bare app's requests/sec and p99 ≤ 2.5× the
bare app's p99. Exit status 0 when both hold for every credential measured, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import free_port, stop_process  # noqa: E402  (the tests' process helpers)

PATH = "/api/v1/projects?limit=20"
PROJECTS = 20
PASSWORD = "BenchPassword123!"
GOAL_THROUGHPUT = 0.4  # copydesk rps / bare rps, at least
GOAL_P99 = 2.5  # copydesk p99 / bare p99, at most


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run (5)")
    parser.add_argument(
        "--repeats", type=int, default=3, help="wrk runs per app and credential, interleaved (3)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads (8)")
    parser.add_argument(
        "--credential",
        choices=("token", "api-key", "both"),
        default="token",
        help="how copydesk is called: bearer access token (default), "
        "X-API-Key, or both one after the other",
    )
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    return parser.parse_args()


# ---------------------------------------------------------------------------- the bare app


def bare_app():
    """The reference: Flask answering the body in $BARE_BODY_FILE with `jsonify`, nothing
    else (`gunicorn 'bench.api_bench:bare_app()'`)."""
    from flask import Flask, jsonify

    app = Flask(__name__)
    body = json.loads(Path(os.environ["BARE_BODY_FILE"]).read_text())

    @app.get("/api/v1/projects")
    def projects():
        return jsonify(body)

    return app


# ------------------------------------------------------------------------------ processes


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    url: str


def start_gunicorn(
    name: str, target: str, env: dict, args, workdir: Path, extra: list[str] = ()
) -> Server:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        target,
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--no-control-socket",
        "--access-logfile",
        str(workdir / f"{name}-access.log"),
        *extra,
    ]
    with open(workdir / f"{name}.log", "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(name, process, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited at start (see {workdir / (name + '.log')})")
        try:
            requests.get(server.url + "/api/v1/projects", timeout=10)
            return server
        except (requests.ConnectionError, requests.Timeout):  # booting, or busy importing
            time.sleep(0.05)
    raise SystemExit(f"{name} did not start (see {workdir / (name + '.log')})")


def copydesk_environment(args, workdir: Path) -> dict:
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
    return {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "RATELIMIT_ENABLED": "false",
        "REDIS_KEY_PREFIX": f"copydesk-apibench-{secrets.token_hex(4)}",
        "UPLOAD_DIR": str(workdir / "uploads"),
        "SESSION_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
        "SIGNUP_MODE": "open",
        "REQUIRE_EMAIL_VERIFICATION": "false",
    }


def migrate_empty_database(env: dict) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import MetaData

    from webapp import create_app
    from webapp.config import Config
    from webapp.extensions import db

    app = create_app(Config.from_env(env))
    with app.app_context():
        existing = MetaData()
        existing.reflect(bind=db.engine)
        existing.drop_all(bind=db.engine)
        upgrade()
        db.engine.dispose()


def seed(url: str, want_key: bool) -> dict:
    """A user with PROJECTS projects, over the API; returns the request headers of each
    credential."""
    api = url + "/api/v1"
    email = f"bench-{secrets.token_hex(4)}@example.com"
    answer = requests.post(
        api + "/auth/register",
        json={"email": email, "password": PASSWORD, "name": "Bench"},
        timeout=30,
    )
    answer.raise_for_status()
    answer = requests.post(
        api + "/auth/login", json={"email": email, "password": PASSWORD}, timeout=30
    )
    answer.raise_for_status()
    token = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    for index in range(PROJECTS):
        requests.post(
            api + "/projects",
            headers=token,
            timeout=30,
            json={
                "name": f"Project {index}",
                "description": f"Bench project number {index}.",
                "metadata": {"client": f"client-{index % 4}", "index": str(index)},
            },
        ).raise_for_status()
    credentials = {"token": token}
    if want_key:
        answer = requests.post(api + "/api-keys", headers=token, json={"name": "bench"}, timeout=30)
        answer.raise_for_status()
        credentials["api-key"] = {"X-API-Key": answer.json()["key"]}
    return credentials


# ------------------------------------------------------------------------------------ wrk


@dataclass
class Run:
    rps: float
    p99_ms: float
    non_2xx: int
    requests: int = 0
    cpu_ms: float = 0.0  # CPU time of the gunicorn workers over the run, all requests

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_ms / self.requests if self.requests else 0.0


def workers_cpu_ms(master_pid: int) -> float:
    """User + system CPU time of the gunicorn master's worker processes so far: unlike
    requests/sec, barely moved by other work on a shared machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return 0.0
    total = 0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total * 1000 / ticks


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk(args, server: Server, headers: dict) -> Run:
    command = [args.wrk, "-t2", "-c16", f"-d{args.duration}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    cpu_before = workers_cpu_ms(server.process.pid)
    output = subprocess.run(
        command + [server.url + PATH], capture_output=True, text=True, check=True
    ).stdout
    run = parse_wrk(output)
    run.cpu_ms = workers_cpu_ms(server.process.pid) - cpu_before
    return run


def parse_wrk(output: str) -> Run:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    if not rps or not p99:
        raise SystemExit(f"could not read wrk's output:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    done = re.search(r"(\d+) requests in", output)
    return Run(
        rps=float(rps.group(1)),
        p99_ms=float(p99.group(1)) * _UNITS_MS[p99.group(2)],
        non_2xx=int(errors.group(1)) if errors else 0,
        requests=int(done.group(1)) if done else 0,
    )


def measure(args, servers: dict[str, Server], credentials: dict) -> dict:
    """{(app, credential): [Run, ...]}; bare and copydesk interleaved."""
    runs: dict[tuple[str, str], list[Run]] = {}
    for credential, headers in credentials.items():
        for _ in range(args.repeats):
            for name in ("bare", "copydesk"):
                run = wrk(args, servers[name], headers if name == "copydesk" else {})
                if run.non_2xx:
                    raise SystemExit(f"{name} answered {run.non_2xx} non-2xx responses")
                runs.setdefault((name, credential), []).append(run)
                print(
                    f"  {name:8} {credential:8} {run.rps:8.0f} req/s  p99 {run.p99_ms:7.2f} ms"
                    f"  CPU {run.cpu_ms_per_request:5.2f} ms/request",
                    flush=True,
                )
    return runs


def report(runs: dict, credentials: dict) -> bool:
    print(
        f"\n{'credential':10} {'app':9} {'req/s':>8} {'p99 ms':>8} {'CPU ms/req':>10}   (medians)"
    )
    passed = True
    for credential in credentials:
        figures = {}
        for name in ("bare", "copydesk"):
            measured = runs[(name, credential)]
            figures[name] = (
                statistics.median(r.rps for r in measured),
                statistics.median(r.p99_ms for r in measured),
                statistics.median(r.cpu_ms_per_request for r in measured),
            )
            print(
                f"{credential:10} {name:9} {figures[name][0]:8.0f} {figures[name][1]:8.2f}"
                f" {figures[name][2]:10.2f}"
            )
        throughput = figures["copydesk"][0] / figures["bare"][0]
        latency = figures["copydesk"][1] / figures["bare"][1]
        cpu = figures["bare"][2] / figures["copydesk"][2] if figures["copydesk"][2] else 0.0
        ok = throughput >= GOAL_THROUGHPUT and latency <= GOAL_P99
        passed &= ok
        print(
            f"{credential:10} ratio     {throughput:7.2f}× {latency:7.2f}× {cpu:9.2f}×"
            f"   goal ≥ {GOAL_THROUGHPUT}× rps, ≤ {GOAL_P99}× p99: "
            f"{'PASS' if ok else 'FAIL'}"
        )
    return passed


def main() -> int:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="copydesk-apibench-"))
    servers: dict[str, Server] = {}
    try:
        env = copydesk_environment(args, workdir)
        migrate_empty_database(env)
        servers["copydesk"] = start_gunicorn(
            "copydesk",
            "wsgi:app",
            env,
            args,
            workdir,
            ["--logger-class", "webapp.access_log.RedactingLogger"],
        )
        credentials = seed(servers["copydesk"].url, args.credential != "token")
        if args.credential != "both":
            credentials = {args.credential: credentials[args.credential]}
        first = next(iter(credentials.values()))
        answer = requests.get(servers["copydesk"].url + PATH, headers=first, timeout=30)
        answer.raise_for_status()
        if answer.json()["total"] != PROJECTS:
            raise SystemExit(f"copydesk listed {answer.json()['total']} projects")
        body_file = workdir / "body.json"
        body_file.write_bytes(answer.content)
        servers["bare"] = start_gunicorn(
            "bare",
            "bench.api_bench:bare_app()",
            {**os.environ, "BARE_BODY_FILE": str(body_file)},
            args,
            workdir,
        )
        if requests.get(servers["bare"].url + PATH, timeout=30).json() != answer.json():
            raise SystemExit("the bare app does not answer copydesk's body")
        print(
            f"GET {PATH}: {len(answer.content)} bytes, {PROJECTS} projects; "
            f"gunicorn gthread {args.workers} workers × {args.threads} threads; "
            f"wrk -t2 -c16 -d{args.duration}s × {args.repeats}; "
            f"database {env['DATABASE_URL'].split(':')[0]}",
            flush=True,
        )
        passed = report(measure(args, servers, credentials), credentials)
    finally:
        for server in servers.values():
            stop_process(server.process)
        if args.keep:
            print(f"work directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
