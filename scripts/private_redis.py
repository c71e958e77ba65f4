"""The private Redis that `make run` starts when no Redis answers (see run.py).

It listens on 127.0.0.1 only and asks for a password generated once and kept in
`instance/redis_password` (mode 600); the password reaches Redis through a config file of
mode 600 (`instance/redis/redis.conf`), never its command line, which every local user can
read with `ps`, and reaches the app in REDIS_URL. Its data lives in `instance/redis/`
(append-only file), so queued jobs survive a restart of `make run`.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit


@dataclass(frozen=True)
class PrivateRedis:
    """Where a private Redis keeps its things, and the password it asks for."""

    data_dir: Path
    config_file: Path
    password: str

    def argv(self, binary: str, port: int) -> list[str]:
        """The redis-server command line (the password is in the config file)."""
        return [
            binary,
            str(self.config_file),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--protected-mode",
            "yes",
            "--dir",
            str(self.data_dir),
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--daemonize",
            "no",
        ]

    def url(self, port: int) -> str:
        return f"redis://:{quote(self.password, safe='')}@127.0.0.1:{port}/0"


def stored_secret(path: Path) -> tuple[str, bool]:
    """The secret kept in `path` (mode 600), generated there first if missing or empty;
    and whether it was just generated."""
    secret = path.read_text().strip() if path.is_file() else ""
    created = not secret
    if created:
        secret = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secret + "\n")
    os.chmod(path, 0o600)
    return secret, created


def prepare(instance_dir: Path) -> PrivateRedis:
    """The data directory (mode 700), the password and the config file that holds it."""
    data_dir = instance_dir / "redis"
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)
    password, _ = stored_secret(instance_dir / "redis_password")
    config_file = data_dir / "redis.conf"
    fd = os.open(config_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(
            "# Written by scripts/run.py at every start; the password is in\n"
            "# instance/redis_password.\n"
            f"requirepass {password}\n"
        )
    os.chmod(config_file, 0o600)
    return PrivateRedis(data_dir=data_dir, config_file=config_file, password=password)


def without_password(url: str) -> str:
    """`url` fit for a log line: a password in it becomes ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))
