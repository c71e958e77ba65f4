"""Fixtures: app, db, client, auth, live server. Tests use the real database named by
TEST_DATABASE_URL (default: a temporary SQLite file) and the real Redis at TEST_REDIS_URL."""
from __future__ import annotations

import email
import email.policy
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tempfile
import threading
import uuid
from contextlib import contextmanager

import pytest
import redis as redis_lib
import requests
from flask_migrate import upgrade
from sqlalchemy import MetaData, event
from werkzeug.serving import make_server

from webapp import create_app
from webapp.config import PROJECT_ROOT, Config, normalise_database_url
from webapp.extensions import db as _db
from webapp.models import OutboxMessage
from webapp.services import mail

from .factories import DEFAULT_PASSWORD, make_project, make_user  # noqa: F401
from .llm_server import _llm_server_process, llm_server  # noqa: F401

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# Keys of this test run only, so that runs sharing a Redis do not disturb each other.
TEST_KEY_PREFIX = f"copydesk-test-{uuid.uuid4().hex[:8]}"


UPLOAD_DIR = os.path.join(tempfile.gettempdir(), TEST_KEY_PREFIX, "uploads")
OUTBOX_DIR = os.path.join(tempfile.gettempdir(), TEST_KEY_PREFIX, "outbox")


def build_test_config(database_url: str, **overrides) -> Config:
    settings = dict(
        APP_ENV="testing", TESTING=True, SECRET_KEY="test-secret-key-not-for-production",
        DATABASE_URL=database_url, REDIS_URL=TEST_REDIS_URL, SESSION_COOKIE_SECURE=False,
        REDIS_KEY_PREFIX=TEST_KEY_PREFIX, UPLOAD_DIR=UPLOAD_DIR, MAIL_OUTBOX_DIR=OUTBOX_DIR,
    )
    settings.update(overrides)
    config = Config(**settings)
    config.validate()
    return config


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url):
    """One app per test session, its schema built by the migrations."""
    app = create_app(build_test_config(database_url))
    with app.app_context():
        _drop_everything()
        upgrade()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()
    shutil.rmtree(os.path.dirname(UPLOAD_DIR), ignore_errors=True)


def _drop_everything() -> None:
    """Start from an empty database, whatever an earlier run left (alembic_version too)."""
    existing = MetaData()
    existing.reflect(bind=_db.engine)
    existing.drop_all(bind=_db.engine)


@pytest.fixture(scope="session")
def redis_client():
    client = redis_lib.Redis.from_url(TEST_REDIS_URL)
    client.ping()
    return client


def clear_redis_keys(client) -> None:
    for key in client.scan_iter(f"*{TEST_KEY_PREFIX}*", count=1000):
        client.delete(key)


@pytest.fixture(autouse=True)
def db(app, redis_client):
    """Each test starts with empty tables and none of this run's keys in Redis."""
    clear_redis_keys(redis_client)
    yield _db
    with app.app_context():
        _db.session.remove()
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())
    clear_redis_keys(redis_client)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def app_config(app):
    """`app_config(SIGNUP_MODE="closed", ...)` sets settings of the session's app for one
    test; they are restored afterwards."""
    saved: dict = {}

    def override(**settings):
        for name in settings:
            saved.setdefault(name, app.config[name])
        app.config.update(settings)

    yield override
    app.config.update(saved)


@pytest.fixture
def sql_statements(app):
    """`with sql_statements() as executed:` lists the SQL statements run in the block."""
    @contextmanager
    def recording():
        executed: list[str] = []
        with app.app_context():
            engine = _db.engine
        listener = lambda *args: executed.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            yield executed
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    return recording


class AuthActions:
    """Sign-in helpers for the API (tokens) and the pages (session + CSRF)."""

    def __init__(self, app, client):
        self.app = app
        self.client = client

    def register(self, email="user@example.com", password=DEFAULT_PASSWORD, name="Test User"):
        response = self.client.post("/api/v1/auth/register",
                                    json={"email": email, "password": password, "name": name})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def tokens(self, email="user@example.com", password=DEFAULT_PASSWORD) -> dict:
        response = self.client.post("/api/v1/auth/login",
                                    json={"email": email, "password": password})
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def headers(self, email="user@example.com", password=DEFAULT_PASSWORD) -> dict:
        """Register (through the factory, not rate-limited) and log in; Bearer headers."""
        make_user(self.app, email=email, password=password)
        return {"Authorization": f"Bearer {self.tokens(email, password)['access_token']}"}

    def signed_in(self, email="user@example.com", **fields):
        """A user (made by the factory, `fields` passed on) signed in through the form."""
        user = make_user(self.app, email=email, **fields)
        response = self.login_page(email=email)
        assert response.status_code in (302, 303), response.status_code
        return user

    def login_page(self, email="user@example.com", password=DEFAULT_PASSWORD):
        """Sign in through the HTML form, as a browser would."""
        token = csrf_token_from(self.client.get("/login"))
        return self.client.post("/login", data={"email": email, "password": password,
                                                "csrf_token": token})


@pytest.fixture
def auth(app, client):
    return AuthActions(app, client)


def csrf_token_from(response) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.get_data(
        as_text=True)) or re.search(r'<meta name="csrf-token" content="([^"]+)"',
                                    response.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def csrf():
    return csrf_token_from


class Outbox:
    """The messages this test run's app saved instead of sending (MAIL_SERVER unset).

    Mail is sent by the worker: `settle()` waits for the `worker` fixture to handle every
    queued message; with the `held_mail` fixture, `send_here()` sends them in this process."""

    def __init__(self, directory: str, app):
        self.directory = directory
        self.app = app

    def clear(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def messages(self) -> list[email.message.EmailMessage]:
        """Every saved message, oldest first."""
        if not os.path.isdir(self.directory):
            return []
        names = sorted(name for name in os.listdir(self.directory) if name.endswith(".eml"))
        return [self._read(name) for name in names]

    def rows(self) -> list[OutboxMessage]:
        """The database outbox, oldest first."""
        with self.app.app_context():
            rows = _db.session.execute(_db.select(OutboxMessage).order_by(
                OutboxMessage.created_at)).scalars().all()
            _db.session.expunge_all()
            return rows

    def settle(self, timeout: float = 30) -> list[email.message.EmailMessage]:
        """Wait until no message is pending or being sent; then every saved message."""
        wait_for(lambda: not any(row.status in ("pending", "sending") for row in self.rows()),
                 timeout)
        return self.messages()

    def send_here(self) -> list[email.message.EmailMessage]:
        """Send every pending message in this process, with this app's config."""
        with self.app.app_context():
            for row in self.rows():
                if row.status == "pending":
                    mail.deliver(row.id)
            _db.session.remove()
        return self.messages()

    def _read(self, name: str) -> email.message.EmailMessage:
        with open(os.path.join(self.directory, name), "rb") as handle:
            return email.message_from_binary_file(handle, policy=email.policy.default)


@pytest.fixture
def outbox(app):
    """The mail outbox, empty at the start of the test."""
    box = Outbox(OUTBOX_DIR, app)
    box.clear()
    yield box
    box.clear()


@pytest.fixture
def held_mail(app, monkeypatch):
    """Mail queued during the test goes to a queue no worker listens on, so that it waits
    for `outbox.send_here()`."""
    monkeypatch.setitem(app.config, "REDIS_KEY_PREFIX", f"{TEST_KEY_PREFIX}-held")


@pytest.fixture(scope="session")
def live_server(app):
    """The app served over real HTTP on a free loopback port, in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def start_server(database_url):
    """Start `gunicorn wsgi:app` as its own process with extra environment; returns its URL.

    For behaviour that needs a separate process (a different Redis, a real restart), or
    several (`workers=2`: two gunicorn worker processes, for races between processes)."""
    processes = []

    def start(workers: int = 1, **env) -> str:
        port = free_port()
        environment = {**process_environment(database_url), "APP_ENV": "production",
                       "SECRET_KEY": "s" * 32, "SESSION_COOKIE_SECURE": "false", **env}
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "--threads", "4",
             "-w", str(workers), "wsgi:app"], cwd=PROJECT_ROOT, env=environment)
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url + "/healthz", process)
        wait_for_children(process, workers)
        return url

    yield start
    for process in processes:
        stop_process(process)


def wait_until_up(url: str, process, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server process exited"
        try:
            requests.get(url, timeout=5)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    raise AssertionError(f"{url} did not come up in {timeout} s")


def wait_for_children(process, count: int, timeout: float = 30) -> None:
    """Wait until gunicorn's master has forked `count` workers. They load the app at the
    same time, so a second after the first one answers the others do too."""
    wait_for(lambda: len(open(f"/proc/{process.pid}/task/{process.pid}/children").read()
                         .split()) >= count, timeout=timeout)
    if count > 1:
        time.sleep(1)


def process_environment(database_url: str, **extra) -> dict:
    """The environment that makes a server or worker process share this test run's
    database, Redis keys, queues, upload directory and mail outbox (never a real SMTP server)."""
    return {**os.environ, "APP_ENV": "testing", "DATABASE_URL": database_url,
            "REDIS_URL": TEST_REDIS_URL, "REDIS_KEY_PREFIX": TEST_KEY_PREFIX,
            "UPLOAD_DIR": UPLOAD_DIR, "MAIL_SERVER": "", "MAIL_OUTBOX_DIR": OUTBOX_DIR,
            "LOG_LEVEL": "INFO", **extra}


def launch_worker(database_url: str, log_path, **env) -> subprocess.Popen:
    """Start `python worker.py` with this run's environment (plus `env`) and wait until it
    listens. Its log is at `process.log_path`."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "worker.py"], cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
            env=process_environment(database_url, **env))
    process.log_path = log_path
    wait_for_log(log_path, "Listening on", process)
    return process


def stop_process(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def worker(app, database_url, web_pages, tmp_path_factory):
    """`python worker.py` as a real process on the real Redis, for the whole session."""
    allowed = web_pages.host_port
    app.config["ALLOWED_PRIVATE_HOSTS"] = [allowed]
    # The test app's SECRET_KEY: tokens in the mail it sends work with `client`.
    process = launch_worker(database_url, tmp_path_factory.mktemp("worker") / "worker.log",
                            ALLOWED_PRIVATE_HOSTS=allowed, PARSE_TIMEOUT_SECONDS="20",
                            SECRET_KEY=app.config["SECRET_KEY"])
    yield process
    stop_process(process)


@pytest.fixture
def start_stack(start_server, database_url, tmp_path):
    """A web server and a worker of their own (own queue via REDIS_KEY_PREFIX), started with
    extra environment; returns (server URL, worker process)."""
    workers = []

    def start(**env):
        env = {"REDIS_KEY_PREFIX": f"{TEST_KEY_PREFIX}-{uuid.uuid4().hex[:6]}", **env}
        server = start_server(**env)
        process = launch_worker(database_url, tmp_path / f"worker-{len(workers)}.log", **env)
        workers.append(process)
        return server, process

    yield start
    for process in workers:
        stop_process(process)


def wait_for_log(path, needle: str, process, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if needle in open(path).read():
            return
        assert process.poll() is None, "the process exited:\n" + open(path).read()[-3000:]
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} not logged in {timeout} s:\n" + open(path).read()[-3000:])


def wait_for(predicate, timeout: float = 30, interval: float = 0.1):
    """Poll `predicate` until it returns something truthy; that value is returned."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


class PageHandler(http.server.BaseHTTPRequestHandler):
    """Pages for URL import tests; `pages` maps a path to (status, headers, body)."""

    pages: dict = {}

    def do_GET(self):  # noqa: N802 (http.server's naming)
        status, headers, body = self.pages.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def web_pages():
    """A loopback web server whose pages tests set in `web_pages.pages`."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PageHandler)
    server.pages = PageHandler.pages
    server.host_port = f"127.0.0.1:{server.server_port}"
    server.url = f"http://{server.host_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
