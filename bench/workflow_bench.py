#!/usr/bin/env python
"""Workflow benchmark: bulk generation, campaign packs and the outline checkpoint, with a
real `python worker.py` and `gunicorn wsgi:app` and the loopback model server
(`tests/llm_server.py`, its own process) answering after 1 s per call. The stack is
generation_bench.py's.

    .venv/bin/python bench/workflow_bench.py                  # full run (~1 minute)
    .venv/bin/python bench/workflow_bench.py --quick          # 10 rows, 1 run, 20 paused jobs
    .venv/bin/python bench/workflow_bench.py --phases bulk    # only some phases

Figures (goals from issue 16):

    bulk      a 40-row bulk job of short LinkedIn posts (one model call a row) for a `pro`
              user (concurrency 10): job created -> finished against its ideal, rows x
              calls a row x 1 s / 10 (≤ 1.3x)
    campaign  a campaign pack (blog, thread, LinkedIn post, newsletter) against the blog
              post alone, same topic, length `short` (≤ 1.5x); model calls per job from the
              model server's GET /control
    paused    100 jobs paused at the outline checkpoint: the worker is idle (RQ's state,
              nothing started or queued), a fresh blog post starts at once (enqueue -> start
              ≤ 60 ms, generation_bench's p99 goal), and neither the worker's RSS nor
              Redis's used_memory grows by more than 2 % (the growth of the stack's own
              keys shown by kind beside it)

Database: a temporary SQLite file unless --database-url is given. Redis: --redis-url under
a key prefix of its own, removed at the end. Exit status: 0 when every goal passes (always
0 with --quick), 1 otherwise. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis
import requests
from generation_bench import (
    ROOT,
    Api,
    JobClock,
    Stack,
    as_utc,
    print_table,
    remove_keys,
    rss_mb,
    set_model_pacing,
    start_stack,
    wait_until,
)

GOALS = {
    "bulk_ratio": 1.3,
    "campaign_ratio": 1.5,
    "fresh_start_ms": 60,
    "worker_rss_growth_pct": 2,
    "redis_growth_pct": 2,
}
MODEL_DELAY = 1.0
BULK_CONCURRENCY = 10  # the `pro` plan's
BULK_CALLS_PER_ROW = 1  # a short LinkedIn post is one model call
FINISHED = ("completed", "failed", "cancelled")
ID = re.compile(r"[0-9a-f]{24,32}")  # a row's, a job's or a worker's id in a key
WARMUP_PAUSES = 5  # before the memory's baseline: the checkpoint's code paths, loaded


class WorkflowApi(Api):
    """A bench user's API client, with the workflow and bulk endpoints."""

    def call(self, method: str, path: str, expected: int, **kwargs) -> dict:
        response = self.http.request(method, self.base + path, timeout=30, **kwargs)
        if response.status_code != expected:
            raise SystemExit(f"{method} {path}: {response.status_code} {response.text}")
        return response.json()

    def generate_with(
        self, topic: str, workflow: str, review_outline: bool = False, length: str = "short"
    ) -> str:
        body = {
            "project_id": self.project_id,
            "topic": topic,
            "voice": "professional",
            "target_length": length,
            "workflow": workflow,
            "review_outline": review_outline,
        }
        return self.call("POST", "/posts/generate", 202, json=body)["job_id"]

    def upload_topics(self, rows: int) -> str:
        """A parsed topics CSV source of `rows` short LinkedIn posts; its id."""
        lines = ["topic,voice,custom_instructions,target_length,channel"] + [
            f"Bulk topic number {n}: what teams learn from it,professional,,short,linkedin"
            for n in range(1, rows + 1)
        ]
        data = ("\r\n".join(lines) + "\r\n").encode()
        source = self.call(
            "POST",
            f"/sources/projects/{self.project_id}/sources",
            201,
            files={"file": ("topics.csv", data, "text/csv")},
        )
        wait_until(
            lambda: self.call("GET", f"/sources/sources/{source['id']}", 200)["status"] == "parsed",
            "the topics CSV was not parsed",
            interval=0.1,
        )
        return source["id"]

    def bulk_generate(self, source_id: str) -> str:
        body = {"project_id": self.project_id, "csv_source_id": source_id}
        return self.call("POST", "/posts/bulk-generate", 202, json=body)["job_id"]


def model_calls(stack: Stack) -> int:
    return requests.get(stack.model_url + "/control", timeout=5).json()["requests"]


def listen_overflows() -> int:
    """The machine's count of connections dropped by a full listen backlog (each costs
    its client a SYN resent a second later)."""
    with open("/proc/net/netstat") as netstat:
        names, values = [line.split() for line in netstat if line.startswith("TcpExt:")][:2]
    return int(values[names.index("ListenOverflows")])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wall_seconds(row) -> float:
    return (as_utc(row.finished_at) - as_utc(row.created_at)).total_seconds()


def set_plan(stack: Stack, email: str, plan: str) -> None:
    """Through the operator's command, as an administrator would."""
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "users", "set-plan", email, plan],
        cwd=ROOT,
        env=stack.env,
        check=True,
        capture_output=True,
    )


# ------------------------------------------------------------------------------ bulk


def measure_bulk(stack: Stack, api: WorkflowApi, clock: JobClock, rows: int) -> dict:
    """One bulk job of `rows` single-call rows; its rows polled every 100 ms to see how
    many were written at once."""
    source_id = api.upload_topics(rows)
    set_model_pacing(stack, MODEL_DELAY)
    calls_before, overflows_before = model_calls(stack), listen_overflows()
    worker_pid = stack.processes["worker"].pid
    cpu_before = cpu_seconds(worker_pid)
    job_id = api.bulk_generate(source_id)
    # (seconds since the first poll, rows processing, rows completed, model calls received)
    timeline = []
    started = time.monotonic()
    while True:
        job = api.job(job_id)
        statuses = [row["status"] for row in (job.get("result") or {}).get("rows", [])]
        timeline.append(
            (
                round(time.monotonic() - started, 2),
                statuses.count("processing"),
                statuses.count("completed"),
                model_calls(stack) - calls_before,
            )
        )
        if job["status"] in FINISHED:
            break
        if time.monotonic() - started > 120:
            raise SystemExit(f"bulk job {job_id} did not finish")
        time.sleep(0.1)
    row = clock.wait_finished(job_id)
    cpu = cpu_seconds(worker_pid) - cpu_before
    calls = model_calls(stack) - calls_before
    ideal = rows * BULK_CALLS_PER_ROW * MODEL_DELAY / BULK_CONCURRENCY
    return {
        "rows": rows,
        "rows_completed": statuses.count("completed"),
        "wall_s": wall_seconds(row),
        "ideal_s": ideal,
        "model_calls": calls,
        "worker_cpu_s": cpu,
        "first_call_s": next((point[0] for point in timeline if point[3]), None),
        "most_rows_processing_at_once": max(point[1] for point in timeline),
        "listen_overflows": listen_overflows() - overflows_before,
        "timeline": timeline,
    }


# -------------------------------------------------------------------------- campaign


def measure_campaign(stack: Stack, api: WorkflowApi, clock: JobClock, runs: int) -> dict:
    """The blog post alone and the campaign pack, interleaved, same topic and length."""
    set_model_pacing(stack, MODEL_DELAY)
    results = {"blog_post": [], "campaign_pack": []}
    calls = {"blog_post": [], "campaign_pack": []}
    posts, overflows_before = {}, listen_overflows()
    for _ in range(runs):
        for workflow in results:
            calls_before = model_calls(stack)
            job_id = api.generate_with("Onboarding emails that people read", workflow)
            row = clock.wait_finished(job_id)
            results[workflow].append(wall_seconds(row))
            calls[workflow].append(model_calls(stack) - calls_before)
            posts[workflow] = len(api.job(job_id)["result"].get("post_ids", []))
    return {
        "wall_s": results,
        "model_calls": calls,
        "posts": posts,
        "listen_overflows": listen_overflows() - overflows_before,
    }


# ---------------------------------------------------------------------------- paused


def job_statuses(clock: JobClock, job_ids: list[str]) -> list[str]:
    from sqlalchemy import bindparam, text

    query = text("SELECT status FROM jobs WHERE id IN :ids").bindparams(
        bindparam("ids", expanding=True)
    )
    with clock.engine.connect() as connection:
        return [row.status for row in connection.execute(query, {"ids": job_ids})]


def pause_jobs(api: WorkflowApi, clock: JobClock, count: int, batch: int, label: str) -> list:
    """`count` blog posts with `review_outline`, submitted `batch` at a time (within the
    plan's concurrency: a job counts until it pauses), each batch waited for until all of
    it has paused."""
    job_ids = []
    while len(job_ids) < count:
        submitted = [
            api.generate_with(f"Paused {label} {len(job_ids) + n}", "blog_post", True)
            for n in range(min(batch, count - len(job_ids)))
        ]

        def all_paused(submitted=submitted):
            statuses = job_statuses(clock, submitted)
            if any(status in FINISHED for status in statuses):
                raise SystemExit(f"a job meant to pause ended: {statuses}")
            return all(status == "slot_needed" for status in statuses)

        wait_until(all_paused, "jobs did not pause at the outline", timeout=120, interval=0.02)
        job_ids += submitted
    return job_ids


def redis_used_memory(client: redis.Redis) -> int:
    return int(client.info("memory")["used_memory"])


def worker_activity(stack: Stack) -> dict:
    """What RQ says the bench's worker is doing, and what its queue holds."""
    from rq import Queue, Worker
    from rq.registry import StartedJobRegistry

    client = redis.Redis.from_url(stack.env["REDIS_URL"])
    queue = Queue(f"{stack.env['REDIS_KEY_PREFIX']}-default", connection=client)
    workers = Worker.all(queue=queue)
    return {
        "worker_states": [str(worker.get_state()) for worker in workers],
        "current_jobs": [worker.get_current_job_id() for worker in workers],
        "queued": queue.count,
        "started": StartedJobRegistry(queue=queue).count,
    }


def redis_keys(client: redis.Redis, prefix: str) -> dict:
    """Bytes (MEMORY USAGE) of every key of the bench's stack: RQ's (`rq:*`) and the
    installation's (`<prefix>*`), by kind (the key with its ids replaced by `<id>`):
    {kind: [keys, bytes]}."""
    names = list(client.scan_iter("rq:*", count=1000))
    names += list(client.scan_iter(f"{prefix}*", count=1000))
    pipe = client.pipeline(transaction=False)
    for name in names:
        pipe.memory_usage(name)
    kinds = {}
    for name, size in zip(names, pipe.execute(), strict=True):
        kind = ID.sub("<id>", name.decode().replace(prefix, "<prefix>"))
        entry = kinds.setdefault(kind, [0, 0])
        entry[0] += 1
        entry[1] += size or 0
    return kinds


def key_growth(before: dict, after: dict) -> list[tuple[str, int, int]]:
    """(kind, keys added, bytes added) of the kinds that grew, largest first."""
    grown = [
        (kind, keys - before.get(kind, [0, 0])[0], size - before.get(kind, [0, 0])[1])
        for kind, (keys, size) in after.items()
    ]
    return sorted((g for g in grown if g[2] > 0), key=lambda g: -g[2])


def measure_paused(
    stack: Stack, api: WorkflowApi, clock: JobClock, count: int, alone_s: float | None
) -> dict:
    """`count` jobs paused at once: the worker's state and memory, Redis's memory, and a
    fresh blog post submitted afterwards."""
    client = redis.Redis.from_url(stack.env["REDIS_URL"])
    worker_pid = stack.processes["worker"].pid
    set_model_pacing(stack, 0.0)  # pausing does not depend on the model's pace
    warmup = pause_jobs(api, clock, WARMUP_PAUSES, WARMUP_PAUSES, "warm-up")
    time.sleep(1)
    prefix = stack.env["REDIS_KEY_PREFIX"]
    before = {
        "rss_mb": rss_mb(worker_pid),
        "redis_used": redis_used_memory(client),
        "keys": redis_keys(client, prefix),
    }
    paused = pause_jobs(api, clock, count, BULK_CONCURRENCY, "job")
    time.sleep(1)
    after = {
        "rss_mb": rss_mb(worker_pid),
        "redis_used": redis_used_memory(client),
        "keys": redis_keys(client, prefix),
    }
    statuses = job_statuses(clock, warmup + paused)
    activity = worker_activity(stack)
    set_model_pacing(stack, MODEL_DELAY)
    fresh_id = api.generate_with("A fresh post after the pauses", "blog_post")
    row = clock.wait_finished(fresh_id)
    enqueued, _ = clock.rq_times(fresh_id)
    finished_keys = redis_keys(client, prefix)
    return {
        "paused": count,
        "paused_at_once": statuses.count("slot_needed"),
        "worker": activity,
        "before": before,
        "after": after,
        # For comparison: what the finished blog post left in Redis.
        "finished_job_keys": key_growth(after["keys"], finished_keys),
        "redis_key_growth": key_growth(before.pop("keys"), after.pop("keys")),
        "fresh_start_ms": (as_utc(row.started_at) - as_utc(enqueued)).total_seconds() * 1000,
        "fresh_wall_s": wall_seconds(row),
        "blog_alone_s": alone_s,
    }


# ---------------------------------------------------------------------------- report


def growth_pct(before: float, after: float) -> float:
    return (after - before) / before * 100


def bulk_figures(bulk: dict) -> list[tuple]:
    return [
        (
            f"bulk: {bulk['rows']} rows, {bulk['model_calls']} model calls, "
            f"at most {bulk['most_rows_processing_at_once']} rows at once "
            f"({bulk['rows_completed']} completed){dropped(bulk)}; first call by "
            f"{bulk['first_call_s']} s; worker CPU {bulk['worker_cpu_s']:.2f} s",
            f"{bulk['wall_s']:.2f} s (ideal {bulk['ideal_s']:.1f} s)",
            None,
        ),
        ("bulk: wall ÷ ideal", bulk["wall_s"] / bulk["ideal_s"], GOALS["bulk_ratio"]),
    ]


def dropped(phase: dict) -> str:
    count = phase["listen_overflows"]
    return f"; {count} connection(s) dropped by a full listen backlog" if count else ""


def campaign_figures(campaign: dict) -> list[tuple]:
    blog = statistics.median(campaign["wall_s"]["blog_post"])
    pack = statistics.median(campaign["wall_s"]["campaign_pack"])
    return [
        (
            f"blog post alone, {median_calls(campaign, 'blog_post')} model calls",
            f"{blog:.2f} s",
            None,
        ),
        (
            f"campaign pack ({campaign['posts'].get('campaign_pack')} posts), "
            f"{median_calls(campaign, 'campaign_pack')} model calls",
            f"{pack:.2f} s",
            None,
        ),
        (f"campaign ÷ blog post{dropped(campaign)}", pack / blog, GOALS["campaign_ratio"]),
    ]


def paused_figures(paused: dict) -> list[tuple]:
    worker, before, after = paused["worker"], paused["before"], paused["after"]
    growth = paused["redis_key_growth"]
    alone = f" ({paused['blog_alone_s']:.2f} s)" if paused["blog_alone_s"] else ""
    return [
        (
            f"paused at once: {paused['paused_at_once']}; worker "
            f"{'/'.join(worker['worker_states'])}, {worker['started']} started, "
            f"{worker['queued']} queued",
            "idle" if worker_idle(paused) else "BUSY",
            None,
        ),
        (
            "fresh blog post: enqueue → start (ms)",
            paused["fresh_start_ms"],
            GOALS["fresh_start_ms"],
        ),
        (
            "fresh blog post: created → finished (alone, before the pauses)",
            f"{paused['fresh_wall_s']:.2f} s{alone}",
            None,
        ),
        (
            f"worker RSS before → after {paused['paused']} pauses",
            f"{before['rss_mb']:.1f} → {after['rss_mb']:.1f} MB",
            None,
        ),
        (
            "worker RSS growth %",
            growth_pct(before["rss_mb"], after["rss_mb"]),
            GOALS["worker_rss_growth_pct"],
        ),
        (
            "Redis used_memory before → after",
            f"{before['redis_used'] / 1024:.0f} → {after['redis_used'] / 1024:.0f} KiB",
            None,
        ),
        (
            "Redis used_memory growth %",
            growth_pct(before["redis_used"], after["redis_used"]),
            GOALS["redis_growth_pct"],
        ),
        (
            "of which the stack's keys, by kind (keys added)",
            ", ".join(f"{kind} +{size / 1024:.0f} KiB ({keys})" for kind, keys, size in growth[:4])
            + f"; total +{sum(g[2] for g in growth) / 1024:.0f} KiB",
            None,
        ),
        (
            "per paused job / what the fresh blog post left when finished",
            f"{sum(g[2] for g in growth) / paused['paused'] / 1024:.1f} / "
            f"{sum(g[2] for g in paused['finished_job_keys']) / 1024:.1f} KiB",
            None,
        ),
    ]


def worker_idle(paused: dict) -> bool:
    worker = paused["worker"]
    return (
        paused["paused_at_once"] == paused["paused"] + WARMUP_PAUSES
        and bool(worker["worker_states"])
        and worker["started"] == 0
        and worker["queued"] == 0
        and all(job is None for job in worker["current_jobs"])
    )


FIGURES = {"bulk": bulk_figures, "campaign": campaign_figures, "paused": paused_figures}


def summarise(results: dict) -> tuple[list[tuple], bool]:
    """Table rows (figure, value, goal, verdict) and whether every goal passed."""
    rows, passed = [], "paused" not in results or worker_idle(results["paused"])
    for phase, figures in FIGURES.items():
        for name, value, goal in figures(results[phase]) if phase in results else ():
            if goal is None:
                rows.append((name, value, "", ""))
                continue
            ok = value <= goal
            passed &= ok
            rows.append((name, f"{value:.2f}", f"≤ {goal}", "pass" if ok else "FAIL"))
    return rows, passed


def median_calls(campaign: dict, workflow: str) -> float:
    return statistics.median(campaign["model_calls"][workflow])


def measure(args, stack: Stack, clock: JobClock) -> dict:
    rows, runs, paused = (10, 1, 20) if args.quick else (40, 3, 100)
    emails, results = list(stack.users), {}
    if "bulk" in args.phases:
        set_plan(stack, emails[0], "pro")
        bulk_api = WorkflowApi(stack, emails[0])
        plan = bulk_api.call("GET", "/users/me", 200)["subscription_tier"]
        print(f"bulk: {rows} rows on the {plan} plan", flush=True)
        results["bulk"] = measure_bulk(stack, bulk_api, clock, rows)
    if "campaign" in args.phases:
        print(f"campaign pack vs blog post: {runs} run(s) each", flush=True)
        results["campaign"] = measure_campaign(stack, WorkflowApi(stack, emails[1]), clock, runs)
    if "paused" in args.phases:
        print(f"{paused} jobs paused at the outline", flush=True)
        alone = results.get("campaign", {}).get("wall_s", {}).get("blog_post")
        results["paused"] = measure_paused(
            stack,
            WorkflowApi(stack, emails[2]),
            clock,
            paused,
            statistics.median(alone) if alone else None,
        )
    return results


def forget_queue_entries(clock: JobClock) -> None:
    """RQ's keys of the bench's jobs (`rq:job:<id>`, `rq:results:<id>`, resumed entries
    `<id>-<n>`): outside the key prefix, they would stay a day."""
    from sqlalchemy import text

    with clock.engine.connect() as connection:
        job_ids = list(connection.execute(text("SELECT id FROM jobs")).scalars())
    for job_id in job_ids:
        for key in clock.redis.scan_iter(f"rq:*{job_id}*", count=1000):
            clock.redis.delete(key)


def run(args) -> int:
    # A hundred-odd submissions and polls in a minute: above the API's per-user limit.
    os.environ["RATELIMIT_ENABLED"] = "false"
    workdir = Path(tempfile.mkdtemp(prefix="copydesk-workflow-bench-"))
    stack = start_stack(args, workdir)
    clock = JobClock(stack)
    try:
        results = measure(args, stack, clock)
    finally:
        stack.stop_all()
        remove_keys(stack.env)
        forget_queue_entries(clock)
        if args.keep:
            print(f"logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    database = "Postgres" if args.database_url else "SQLite"
    table, passed = summarise(results)
    print_table(table, f"Workflow benchmark ({database}, {'quick' if args.quick else 'full'})")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 0 if passed or args.quick else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 rows, 1 run, 20 paused jobs")
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--json", help="write every measurement to this file")
    parser.add_argument(
        "--phases",
        type=lambda text: text.split(","),
        default=list(FIGURES),
        help="only these, comma-separated: bulk, campaign, paused",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
