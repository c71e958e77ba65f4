"""The job contract: a job type is one registry entry plus its task. A throwaway kind
(tests/throwaway_jobs.py) runs through the real worker where its entry says, fails with
the message its task records, gets its own dead-worker message when its work horse is
killed, and its own lost message from the reaper; the web app binds every task without
loading litellm."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest

from webapp.config import PROJECT_ROOT
from webapp.errors import AppError
from webapp.extensions import db
from webapp.models import Job
from webapp.services import accounts, job_registry, jobs, reaper
from webapp.timeutil import utcnow
from webapp.vocabulary import JobType

from . import throwaway_jobs
from .conftest import process_environment, wait_for
from .factories import make_user

pytestmark = pytest.mark.usefixtures("db")  # every test here reads or writes the database


def queue_echo(app, job_type: str, text: str) -> str:
    """A job row of `job_type`, queued through the registry; its id."""
    user = make_user(app, email="echo@example.com")
    with app.app_context():
        job = jobs.create_job(accounts.get_user(user.id), job_type)
        db.session.commit()
        job_registry.enqueue(job, job.id, text, description=f"echo {text}")
        return job.id


def finished(app, job_id: str, worker, timeout: float = 30) -> Job:
    def settled():
        with app.app_context():
            job = db.session.get(Job, job_id)
            db.session.expunge_all()
            return job if job.is_finished else None

    try:
        return wait_for(settled, timeout=timeout, interval=0.2)
    except AssertionError:
        raise AssertionError(worker.log_path.read_text()[-3000:]) from None


def test_a_new_kind_runs_in_the_process_its_entry_names(app, worker):
    here = queue_echo(app, throwaway_jobs.ECHO_HERE, "hello")
    horse = queue_echo(app, throwaway_jobs.ECHO_HORSE, "hello")
    ran_here, ran_in_horse = finished(app, here, worker), finished(app, horse, worker)
    assert ran_here.status == ran_in_horse.status == "completed"
    assert ran_here.result == {"echo": "hello", "pid": worker.pid}
    assert ran_in_horse.result["echo"] == "hello"
    assert ran_in_horse.result["pid"] != worker.pid


def test_a_new_kind_fails_with_the_message_its_task_records(app, worker):
    job = finished(app, queue_echo(app, throwaway_jobs.ECHO_HERE, "refuse politely"), worker)
    assert (job.status, job.error_message) == ("failed", throwaway_jobs.REFUSED + "refuse politely")


def test_a_killed_work_horse_leaves_its_kinds_dead_worker_message(app, worker):
    job = finished(app, queue_echo(app, throwaway_jobs.ECHO_HORSE, "die"), worker)
    assert job.status == "failed"
    assert job.error_message.startswith(throwaway_jobs.DEAD_MESSAGE)
    assert "signal 9" in job.error_message
    # The worker goes on with the next job.
    assert (
        finished(app, queue_echo(app, throwaway_jobs.ECHO_HORSE, "again"), worker).status
        == "completed"
    )


def test_a_lost_job_of_a_new_kind_is_reaped_with_its_lost_message(app):
    user = make_user(app)
    with app.app_context():
        job = jobs.create_job(accounts.get_user(user.id), throwaway_jobs.ECHO_HORSE)
        db.session.commit()  # never queued: as if Redis lost it
        db.session.execute(
            db.update(Job)
            .where(Job.id == job.id)
            .values(updated_at=utcnow() - timedelta(minutes=5))
        )
        db.session.commit()
        assert reaper.reap_stale_jobs() == 1
        job = db.session.get(Job, job.id)
        assert (job.status, job.error_message) == ("failed", throwaway_jobs.LOST_MESSAGE)


def test_limits_and_cancel_come_from_the_table(app):
    assert job_registry.job_types_counting_toward(job_registry.Limit.POST_QUOTA) == (
        JobType.BULK_GENERATION,
        JobType.CONTENT_GENERATION,
    )
    assert job_registry.job_types_counting_toward(job_registry.Limit.CONCURRENCY) == (
        JobType.AI_EDIT,
        JobType.BULK_GENERATION,
        JobType.CONTENT_GENERATION,
    )
    assert set(job_registry.job_types_counting_toward(job_registry.Limit.PARSE_QUEUE)) == {
        JobType.DOCUMENT_PARSING,
        JobType.URL_IMPORT,
    }
    user = make_user(app)
    with app.app_context():
        job = jobs.create_job(accounts.get_user(user.id), throwaway_jobs.ECHO_HERE)
        db.session.commit()
        with pytest.raises(AppError) as refused:
            job_registry.cancel(job)
        assert refused.value.code == "INVALID_STATE"
        assert db.session.get(Job, job.id).status == "queued"


def test_the_web_app_binds_every_task_without_loading_litellm(database_url):
    """The web process imports the task modules (to enqueue through the registry) but
    never litellm, which only the worker loads."""
    script = (
        "import json, sys\n"
        "from webapp import create_app\n"
        "from webapp.services import job_registry\n"
        "create_app()\n"
        "print(json.dumps({'litellm': 'litellm' in sys.modules, 'unbound': [\n"
        "    t for t in job_registry._kinds() if t not in job_registry._tasks]}))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        check=True,
        env=process_environment(database_url),
        capture_output=True,
        text=True,
    ).stdout
    assert json.loads(output.splitlines()[-1]) == {"litellm": False, "unbound": []}
