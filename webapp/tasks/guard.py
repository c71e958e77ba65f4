"""What every in-process job task does around its service: a heartbeat while it runs, a
recorded reason whatever stops it (then the exception still reaches RQ), and no session
left behind in the worker process."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from rq.timeouts import JobTimeoutException

from ..errors import log_unexpected, with_reference
from ..extensions import db
from ..services import live


def run_guarded(
    job_id: str,
    work: Callable[[str], None],
    record_failure: Callable[[str, str], None],
    *,
    what: str,
    timeout_setting: str,
    timeout_message: str,
    unexpected_message: str,
    readable: tuple[type[Exception], ...] = (),
    recorded: tuple[type[Exception], ...] = (),
) -> None:
    """Run `work(job_id)`. Exceptions of `readable` are recorded with their own message,
    those of `recorded` were recorded by the service already; a timeout is recorded with
    `timeout_message` (its `{seconds}` filled in), anything else with
    `unexpected_message` and a reference to the log line (`what` failed)."""
    try:
        with live.Heartbeat(job_id):
            work(job_id)
    except recorded:
        raise
    except readable as exc:
        record_failure(job_id, exc.message)
        raise
    except JobTimeoutException:
        seconds = current_app.config[timeout_setting]
        record_failure(job_id, timeout_message.format(seconds=seconds))
        raise
    except Exception as exc:  # database, storage, library: their text stays in the log
        error_id = log_unexpected(exc, f"{what} {job_id} failed")
        record_failure(job_id, with_reference(unexpected_message, error_id))
        raise
    finally:
        db.session.remove()
