"""The background worker: `python worker.py`.

An RQ worker with the scheduler on, running inside an application context so jobs can use
the database, config and services like request handlers do. Connects to REDIS_URL and
listens on this installation's queues (`<REDIS_KEY_PREFIX>-default`).

Each job runs in a forked work horse that inherits this process's memory. RQ imports a
job's function lazily, in the horse, so the task modules (and, later, heavy libraries such
as litellm) are imported here at module level: loaded once, not once per job.
"""
from __future__ import annotations

import gc
import logging
import sys

from redis import Redis
from rq import Queue, Worker

import webapp.tasks.sources  # noqa: F401  (imported once in the parent, see above)
from webapp import create_app
from webapp.extensions import db
from webapp.services.queue import QUEUE_KINDS, queue_name
from webapp.services.sources import record_failure_for_job

log = logging.getLogger("worker")


def record_dead_horse(job, retpid, ret_val, rusage) -> None:
    """A work horse died without a word (killed, out of memory): say so on the job."""
    signal_note = f" (signal {ret_val & 0x7f})" if ret_val and ret_val & 0x7f else ""
    try:
        record_failure_for_job(job.id, "The worker process parsing this document stopped "
                                       f"unexpectedly{signal_note}; it may need more memory "
                                       "than allowed. Try a smaller file.")
    finally:
        db.session.remove()
        db.engine.dispose()  # no pooled connection may be inherited by the next horse


def main() -> int:
    app = create_app()
    with app.app_context():
        connection = Redis.from_url(app.config["REDIS_URL"])
        queues = [Queue(queue_name(kind, app.config), connection=connection)
                  for kind in QUEUE_KINDS]
        worker = Worker(queues, connection=connection,
                        work_horse_killed_handler=record_dead_horse)
        log.info("listening on %s", ", ".join(q.name for q in queues))
        # Everything loaded so far lives as long as the worker: keep the collector from
        # walking (and copy-on-write touching) it in every forked work horse.
        gc.freeze()
        # RQ's log lines name the job id ("default: <description> (<job id>)").
        worker.work(with_scheduler=True, logging_level=app.config["LOG_LEVEL"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
