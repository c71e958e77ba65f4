"""The worker survives what documents and the machine throw at it: a parse that runs too
long, one that wants too much memory, and a work horse killed mid-job. Each ends with the
source `failed` and a readable reason, and the worker goes on with the next job."""
import os
import signal
import subprocess

import pytest
import requests
from rq.exceptions import StopRequested

from worker import survive

from .api.test_sources_faults import register, wait_until_finished
from .conftest import wait_for
from .files import make_big_xml_docx

SLOW_DOCX = make_big_xml_docx(mb=6)  # ~7 s and ~200 MB in mammoth on this class of machine


def upload(server, headers, project, data, name):
    response = requests.post(f"{server}/api/v1/sources/projects/{project['id']}/sources",
                             headers=headers, timeout=30, files={"file": (name, data)})
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
    wait_for(lambda: requests.get(f"{server}/api/v1/sources/sources/{source['id']}",
                                  headers=headers, timeout=10).json()["status"] == "parsing")
    os.kill(horse, signal.SIGKILL)
    body = wait_until_finished(server, headers, source["id"])
    assert body["status"] == "failed"
    assert "stopped unexpectedly" in body["error_message"], worker.log_path.read_text()[-3000:]
    assert_worker_still_serves(server, headers, project)


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
