"""gunicorn's access log, as `make run` and the Dockerfile configure it, never holds the
token of a password-reset link."""
from __future__ import annotations

import subprocess
import sys

import requests

from webapp.config import PROJECT_ROOT

from .conftest import free_port, process_environment, stop_process, wait_until_up


def test_reset_link_tokens_are_redacted_from_the_access_log(database_url, tmp_path):
    port, log_path = free_port(), tmp_path / "access.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "wsgi:app",
         "--access-logfile", str(log_path),
         "--logger-class", "webapp.access_log.RedactingLogger"],
        cwd=PROJECT_ROOT, env=process_environment(database_url), stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        page = requests.get(f"http://127.0.0.1:{port}/reset-password/eyJsecret.token.value",
                            timeout=10)
        assert page.status_code == 400  # an invalid link, said so on the page
    finally:
        stop_process(process)
    log = log_path.read_text()
    assert "/reset-password/[redacted]" in log
    assert "eyJsecret" not in log
