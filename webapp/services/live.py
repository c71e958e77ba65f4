"""What a running job shares through Redis: the draft as it is written, the cancel flag and
the worker's heartbeat. The database keeps the job's lasting state; this is the fast,
short-lived part (keys expire a day after the job's last write)."""
from __future__ import annotations

import logging
import threading
import time

import redis
from flask import current_app

from ..errors import ServiceUnavailable
from .redis_conn import get_redis

log = logging.getLogger(__name__)
LIVE_TTL_SECONDS = 24 * 3600
WRITE_INTERVAL_SECONDS = 0.2


def _key(job_id: str, what: str, config=None) -> str:
    config = config or current_app.config
    return f"{config['REDIS_KEY_PREFIX']}:job:{job_id}:{what}"


def read_draft(job_id: str) -> list[str]:
    """The parts of the draft written so far, in order (empty when Redis is down)."""
    try:
        parts = get_redis().hgetall(_key(job_id, "draft"))
    except redis.RedisError:
        return []
    return [parts[k].decode("utf-8", "replace")
            for k in sorted(parts, key=lambda k: int(k))]


def request_cancel(job_id: str) -> None:
    try:
        get_redis().set(_key(job_id, "cancel"), 1, ex=LIVE_TTL_SECONDS)
    except redis.RedisError as exc:
        raise ServiceUnavailable("The job queue is unavailable right now; try again "
                                 "shortly.") from exc


def cancel_requested(job_id: str) -> bool:
    try:
        return bool(get_redis().exists(_key(job_id, "cancel")))
    except redis.RedisError:
        return False


def is_alive(job_id: str) -> bool | None:
    """Whether the worker running `job_id` reported recently (None: Redis unreachable)."""
    try:
        return bool(get_redis().exists(_key(job_id, "alive")))
    except redis.RedisError:
        return None


class DraftBuffer:
    """The draft of one job, part by part, mirrored to Redis at most every 0.2 s per part.

    Model calls stream from several threads at once, hence the lock; they need no app
    context, so the client and key are resolved up front."""

    def __init__(self, job_id: str):
        self.client = get_redis()
        self.key = _key(job_id, "draft")
        self.parts: dict[int, str] = {}
        self.flushed_at: dict[int, float] = {}
        self.lock = threading.Lock()

    def write(self, part: int, text: str) -> None:
        with self.lock:
            self.parts[part] = self.parts.get(part, "") + text
            due = time.monotonic() - self.flushed_at.get(part, 0) >= WRITE_INTERVAL_SECONDS
        if due:
            self._flush(part)

    def clear(self, part: int) -> None:
        with self.lock:
            self.parts[part] = ""
        self._flush(part)

    def flush_all(self) -> None:
        for part in list(self.parts):
            self._flush(part)

    def _flush(self, part: int) -> None:
        with self.lock:
            text = self.parts.get(part, "")
            self.flushed_at[part] = time.monotonic()
        try:
            pipe = self.client.pipeline()
            pipe.hset(self.key, str(part), text)
            pipe.expire(self.key, LIVE_TTL_SECONDS)
            pipe.execute()
        except redis.RedisError:
            log.warning("draft of %s not mirrored to Redis", self.key)


class Heartbeat:
    """While a job runs, a thread keeps `<prefix>:job:<id>:alive` set with a short expiry;
    when the process dies, the key lapses and the reaper fails the job."""

    def __init__(self, job_id: str):
        self.client = get_redis()
        self.key = _key(job_id, "alive")
        self.ttl = int(current_app.config["JOB_STALE_SECONDS"])
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="heartbeat", daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._set()
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join(timeout=2)
        try:
            self.client.delete(self.key)
        except redis.RedisError:
            pass

    def _beat(self) -> None:
        while not self.stopped.wait(max(1.0, self.ttl / 3)):
            self._set()

    def _set(self) -> None:
        try:
            self.client.set(self.key, 1, ex=self.ttl)
        except redis.RedisError:
            log.warning("heartbeat %s not written", self.key)
