"""gunicorn's access log, as `make run` and the Dockerfile configure it, never holds the
token of a password-reset link, and names the client behind a trusted proxy."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager

import requests

from webapp.config import PROJECT_ROOT

from .conftest import free_port, process_environment, stop_process, wait_until_up


@contextmanager
def logged_server(database_url, log_path, **env):
    """gunicorn with the access log of `make run` at `log_path`; yields its URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-b",
            f"127.0.0.1:{port}",
            "wsgi:app",
            "--access-logfile",
            str(log_path),
            "--logger-class",
            "webapp.access_log.RedactingLogger",
        ],
        cwd=PROJECT_ROOT,
        env=process_environment(database_url, **env),
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)


def test_reset_link_tokens_are_redacted_from_the_access_log(database_url, tmp_path):
    log_path = tmp_path / "access.log"
    with logged_server(database_url, log_path) as url:
        page = requests.get(f"{url}/reset-password/eyJsecret.token.value", timeout=10)
        assert page.status_code == 400  # an invalid link, said so on the page
    log = log_path.read_text()
    assert "/reset-password/[redacted]" in log
    assert "eyJsecret" not in log


def test_behind_a_trusted_proxy_the_access_log_names_the_client(database_url, tmp_path):
    log_path = tmp_path / "access.log"
    with logged_server(database_url, log_path, TRUSTED_PROXIES="1") as url:
        requests.get(
            f"{url}/login", timeout=10, headers={"X-Forwarded-For": "192.0.2.66, 203.0.113.77"}
        )
    lines = [line for line in log_path.read_text().splitlines() if "/login" in line]
    assert lines and lines[-1].startswith("203.0.113.77 ")
