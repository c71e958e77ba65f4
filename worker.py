"""The background worker: `python worker.py`.

An RQ worker with the scheduler on, running inside an application context so jobs can use
the database, config and services like request handlers do. Connects to REDIS_URL and
listens on this installation's queues (`<REDIS_KEY_PREFIX>-default`).

The job registry (webapp/services/job_registry.py) says where each task runs. Parsing
jobs run in a forked work horse (RQ's default), which gets an address-space cap and can be
killed on a timeout without harming the worker. Generation jobs and mail delivery run in
this process instead: they wait on the network, need no cap, and forking a ~300 MB process
costs 10-20 ms per job and throws away litellm's warmed-up state and its connections to
the provider. The task modules (imported by create_app) and litellm (3-5 s and ~150 MB to
import, seconds more on its first call) are loaded and warmed up here, once: never once
per job.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from datetime import timedelta

from redis import Redis, RedisError
from rq import Queue, Worker
from rq.exceptions import StopRequested
from rq.worker import WorkerStatus

import webapp.tasks  # noqa: F401  (imported once in the parent, see above)
from webapp import create_app
from webapp.extensions import db
from webapp.models import Job
from webapp.services import idempotency, job_registry, llm, mail, reaper
from webapp.services.queue import QUEUE_KINDS, queue_name

log = logging.getLogger("worker")
# Seconds between maintenance rounds (RQ's registries, our stale-job reaper, the mail
# outbox sweep and the purge of day-old Idempotency-Key records); RQ's default of 10
# minutes would leave a dead worker's job "processing" far too long.
MAINTENANCE_INTERVAL = 10
# An idle worker wakes up every WORKER_TTL - 15 seconds to run maintenance.
WORKER_TTL = 30
WORKER_NICENESS = 5


class CopydeskWorker(Worker):
    stop_requested = False

    def request_stop(self, signum, frame):
        self.stop_requested = True
        super().request_stop(signum, frame)

    def execute_job(self, job, queue):
        if not runs_in_process(job):
            return super().execute_job(job, queue)
        execution = self.prepare_execution(job)
        self.perform_job(job, queue, execution)
        self.set_state(WorkerStatus.IDLE)

    def get_heartbeat_ttl(self, job, working_time: float = 0.0) -> int:
        if runs_in_process(job):
            # No monitoring parent renews the worker's key while the job runs here.
            return int(job.timeout or self.queue_class.DEFAULT_TIMEOUT) + 60
        return super().get_heartbeat_ttl(job, working_time)

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        survive(reap_stale_jobs)
        survive(sweep_mail_outbox)
        survive(idempotency.purge_expired)


def runs_in_process(job) -> bool:
    """Whether the job registry runs `job`'s task in this process. Resolving the task
    imports its module (a task this process has not loaded yet binds itself then); a task
    that cannot be imported goes to a work horse, where RQ records the error."""
    try:
        function = job.func
    except Exception:
        return False
    return job_registry.runs_in_process(function)


def survive(chore, **options) -> None:
    """Run a maintenance chore; its failure is logged and never takes the worker down."""
    try:
        chore(**options)
    except StopRequested:
        raise  # RQ's answer to SIGTERM while idle, raised wherever the worker is: stop
    except Exception:
        log.exception("%s failed", chore.__name__)
    finally:
        db.session.remove()


def reap_stale_jobs() -> None:
    reaped = reaper.reap_stale_jobs()
    if reaped:
        log.warning("failed %d job(s) whose worker had died", reaped)


def sweep_mail_outbox(**options) -> None:
    """Queue outbox mail whose task was lost (the queue was down or wiped)."""
    queued = mail.sweep_outbox(**options)
    if queued:
        log.info("queued %d mail(s) waiting in the outbox", queued)


def record_dead_horse(job, retpid, ret_val, rusage) -> None:
    """A work horse died without a word (killed, out of memory): say so on the job, as
    its kind records failures."""
    signal_note = (
        f" (The process ended on signal {ret_val & 0x7F}.)" if ret_val and ret_val & 0x7F else ""
    )
    try:
        row = db.session.get(Job, job.id)
        if row is not None:
            job_registry.fail_dead(row, lost=False, note=signal_note)
    finally:
        db.session.remove()
        db.engine.dispose()  # no pooled connection may be inherited by the next horse


def main() -> int:
    # Background work yields the CPU to the web processes on a shared machine: a page or
    # a status poll should not wait behind a streamed draft being processed.
    os.nice(WORKER_NICENESS)
    app = create_app()
    with app.app_context():
        if llm.is_configured(app.config):
            llm.preload(app.config)
        connection = Redis.from_url(app.config["REDIS_URL"])
        queues = [
            Queue(queue_name(kind, app.config), connection=connection) for kind in QUEUE_KINDS
        ]
        log.info("listening on %s", ", ".join(q.name for q in queues))
        # Mail that waited while no worker or queue was up goes out now, not after a grace.
        survive(sweep_mail_outbox, grace=timedelta(0))
        db.session.remove()
        db.engine.dispose()
        # Everything loaded so far lives as long as the worker: keep the collector from
        # walking (and copy-on-write touching) it in every forked work horse.
        gc.freeze()
        work_until_stopped(app, connection, queues)
    return 0


def work_until_stopped(app, connection: Redis, queues: list[Queue]) -> None:
    """Run RQ's loop until a signal stops it. RQ leaves its loop when Redis goes away
    (a restart, a failover); then this waits for Redis and starts a fresh worker, so a
    Redis outage never leaves the queue without workers."""
    while True:
        worker = CopydeskWorker(
            queues,
            connection=connection,
            worker_ttl=WORKER_TTL,
            maintenance_interval=MAINTENANCE_INTERVAL,
            work_horse_killed_handler=record_dead_horse,
        )
        try:
            # RQ's log lines name the job id ("default: <description> (<job id>)").
            worker.work(with_scheduler=True, logging_level=app.config["LOG_LEVEL"])
        except RedisError:  # RQ's teardown tells Redis the worker is gone, and fails too
            log.warning("Redis went away while the worker was stopping its loop")
        if worker.stop_requested:
            return
        log.warning("the worker loop ended (Redis unreachable?); restarting it when Redis answers")
        try:
            wait_for_redis(connection)
        except StopRequested:  # a signal while waiting: RQ's handler is still installed
            return


def wait_for_redis(connection: Redis, longest_pause: float = 5.0) -> None:
    pause = 0.5
    while True:
        try:
            connection.ping()
            return
        except RedisError:
            time.sleep(pause)
            pause = min(pause * 2, longest_pause)


if __name__ == "__main__":
    sys.exit(main())
