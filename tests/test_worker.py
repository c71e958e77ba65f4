"""The worker survives what documents and the machine throw at it: a parse that runs too
long, one that wants too much memory, and a work horse killed mid-job. Each ends with the
source `failed` and a readable reason, and the worker goes on with the next job."""

import os
import shutil
import signal
import subprocess
import time
from types import SimpleNamespace

import pytest
import redis as redis_lib
import requests
from rq.exceptions import StopRequested

from worker import survive

from .api.test_generation_llm import Remote, llm_env
from .api.test_sources_faults import register, wait_until_finished
from .conftest import free_port, wait_for
from .files import make_big_xml_docx

SLOW_DOCX = make_big_xml_docx(mb=6)  # ~7 s and ~200 MB in mammoth on this class of machine


def upload(server, headers, project, data, name):
    response = requests.post(
        f"{server}/api/v1/sources/projects/{project['id']}/sources",
        headers=headers,
        timeout=30,
        files={"file": (name, data)},
    )
    assert response.status_code == 201, response.text
    return response.json()


def assert_worker_still_serves(server, headers, project):
    source = upload(server, headers, project, b"Plain words after the storm.", "after.txt")
    assert wait_until_finished(server, headers, source["id"])["status"] == "parsed"


def test_parse_over_the_time_limit_fails_with_a_reason(start_stack):
    server, worker = start_stack(PARSE_TIMEOUT_SECONDS="1")
    headers, project = register(server)
    source = upload(server, headers, project, SLOW_DOCX, "long.docx")
    body = wait_until_finished(server, headers, source["id"])
    assert body["status"] == "failed"
    assert "took longer than 1 s" in body["error_message"], worker.log_path.read_text()[-3000:]
    assert_worker_still_serves(server, headers, project)


def test_parse_over_the_memory_limit_fails_with_a_reason(start_stack):
    # The horse starts at ~250 MB of address space; mammoth needs ~300 MB more for this.
    server, worker = start_stack(PARSE_MEMORY_LIMIT_MB="256")
    headers, project = register(server)
    source = upload(server, headers, project, make_big_xml_docx(mb=9), "heavy.docx")
    body = wait_until_finished(server, headers, source["id"])
    assert body["status"] == "failed"
    assert "more memory" in body["error_message"], worker.log_path.read_text()[-3000:]
    assert_worker_still_serves(server, headers, project)


def children(pid: int) -> set[int]:
    output = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return {int(line) for line in output.split()}


def test_work_horse_killed_mid_parse_leaves_a_failed_source(start_stack):
    server, worker = start_stack()
    headers, project = register(server)
    before = children(worker.pid)  # the scheduler
    source = upload(server, headers, project, SLOW_DOCX, "doomed.docx")
    horse = wait_for(lambda: children(worker.pid) - before, timeout=15).pop()
    wait_for(
        lambda: (
            requests.get(
                f"{server}/api/v1/sources/sources/{source['id']}", headers=headers, timeout=10
            ).json()["status"]
            == "parsing"
        )
    )
    os.kill(horse, signal.SIGKILL)
    body = wait_until_finished(server, headers, source["id"])
    assert body["status"] == "failed"
    assert "stopped unexpectedly" in body["error_message"], worker.log_path.read_text()[-3000:]
    assert_worker_still_serves(server, headers, project)


@pytest.fixture
def private_redis(tmp_path):
    """A memory-only redis-server of this test's own on a free port: stopping and starting it
    again is a Redis restart that wipes every key."""
    port = free_port()
    processes = []

    def start():
        process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
            ],
            stdout=subprocess.DEVNULL,
        )
        processes.append(process)
        client = redis_lib.Redis(port=port)
        wait_for(lambda: _pings(client), timeout=15)

    def stop():
        processes[-1].kill()
        processes[-1].wait()

    start()
    yield SimpleNamespace(url=f"redis://127.0.0.1:{port}/0", start=start, stop=stop)
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


def _pings(client) -> bool:
    try:
        return client.ping()
    except redis_lib.RedisError:
        return False


def test_worker_goes_on_after_redis_restarts_empty_mid_job(start_stack, private_redis, llm_server):
    """Redis gone while a post is being written: the post is still saved, and the same
    worker process takes the next job once Redis is back (RQ alone leaves its loop)."""
    server, worker = start_stack(REDIS_URL=private_redis.url, **llm_env(llm_server))
    writer = Remote(server)
    llm_server.hang_next(4)
    job_id = writer.generate(channel="linkedin")
    wait_for(lambda: llm_server.requests, timeout=30)  # the model is being asked
    private_redis.stop()
    time.sleep(5)  # the answer arrives and the job ends while Redis is away
    private_redis.start()
    assert writer.finished_job(job_id, worker)["status"] == "completed"
    second = writer.generate(channel="linkedin", topic="After the restart")
    assert writer.finished_job(second, worker)["status"] == "completed"
    assert worker.poll() is None, worker.log_path.read_text()[-3000:]


def test_a_stop_signal_during_maintenance_stops_the_worker(app):
    """RQ answers SIGTERM on an idle worker by raising StopRequested wherever it is, often
    inside a maintenance chore: the chore's guard must let it through."""

    def interrupted_chore():
        raise StopRequested()

    def broken_chore():
        raise RuntimeError("database gone")

    with app.app_context():
        survive(broken_chore)  # logged, the worker goes on
        with pytest.raises(StopRequested):
            survive(interrupted_chore)
