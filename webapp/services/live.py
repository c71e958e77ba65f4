"""What a running job shares through Redis: the draft as it is written, its fine-grained
progress, the cancel flag and the worker's heartbeat. The database keeps the job's lasting
state (and coarse progress); this is the fast, short-lived part (keys expire a day after
the job's last write)."""

from __future__ import annotations

import json
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
    return [parts[k].decode("utf-8", "replace") for k in sorted(parts, key=lambda k: int(k))]


def read_progress(job_id: str) -> tuple[int, str] | None:
    """The running job's latest (percent, step) as the worker streams text, or None."""
    try:
        state = get_redis().hmget(_key(job_id, "progress"), "percent", "step")
    except redis.RedisError:
        return None
    return _progress_of(*state)


def _progress_of(percent: bytes | None, step: bytes | None) -> tuple[int, str] | None:
    if percent is None:
        return None
    return int(percent), (step or b"").decode("utf-8", "replace")


def publish_job_state(job_id: str, state: dict) -> None:
    """The running job's row as the API shows it, kept beside its live progress so that a
    status poll is answered from Redis alone (see `read_running_state`)."""
    _write_hash(get_redis(), _key(job_id, "progress"), {"job": json.dumps(state)})


def forget_job_state(job_id: str) -> None:
    """The job has ended: polls read its row again."""
    try:
        get_redis().delete(_key(job_id, "progress"))
    except redis.RedisError:
        # Left behind, the state is ignored anyway once the heartbeat has gone.
        log.warning("live state of job %s not removed", job_id)


def read_running_state(job_id: str) -> tuple[dict, tuple[int, str] | None] | None:
    """The state `publish_job_state` stored and the streamed (percent, step), in one round
    trip; None unless the job's worker is alive (a dead worker's job must be read from the
    database, where the reaper settles it) or when Redis is unreachable."""
    try:
        pipe = get_redis().pipeline(transaction=False)
        pipe.hmget(_key(job_id, "progress"), "job", "percent", "step")
        pipe.exists(_key(job_id, "alive"))
        (stored, percent, step), alive = pipe.execute()
    except redis.RedisError:
        return None
    if stored is None or not alive:
        return None
    return json.loads(stored), _progress_of(percent, step)


def request_cancel(job_id: str) -> None:
    try:
        get_redis().set(_key(job_id, "cancel"), 1, ex=LIVE_TTL_SECONDS)
    except redis.RedisError as exc:
        raise ServiceUnavailable(
            "The job queue is unavailable right now; try again shortly."
        ) from exc


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
    """The draft of one job, part by part, and its progress while text streams, mirrored to
    Redis at most every 0.2 s per part (and for the progress).

    Model calls stream from several threads at once, hence the lock; they need no app
    context, so the client and keys are resolved up front."""

    def __init__(self, job_id: str):
        self.client = get_redis()
        self.key = _key(job_id, "draft")
        self.progress_key = _key(job_id, "progress")
        self.parts: dict[int, str] = {}
        self.progress: tuple[int, str] = (0, "")
        self.flushed_at: dict = {}
        self.lock = threading.Lock()

    def write(self, part: int, text: str) -> None:
        with self.lock:
            self.parts[part] = self.parts.get(part, "") + text
            due = self._due(part)
        if due:
            self._flush(part)

    def clear(self, part: int) -> None:
        with self.lock:
            self.parts[part] = ""
        self._flush(part)

    def set_progress(self, percent: int, step: str) -> None:
        """Progress only ever moves forward; written to Redis when due."""
        with self.lock:
            if percent <= self.progress[0]:
                return
            self.progress = (percent, step[:200])
            due = self._due("progress")
        if due:
            self._flush_progress()

    def flush_all(self) -> None:
        for part in list(self.parts):
            self._flush(part)
        if self.progress[0]:
            self._flush_progress()

    def _due(self, what) -> bool:
        return time.monotonic() - self.flushed_at.get(what, 0) >= WRITE_INTERVAL_SECONDS

    def _flush(self, part: int) -> None:
        with self.lock:
            text = self.parts.get(part, "")
            self.flushed_at[part] = time.monotonic()
        self._write(self.key, {str(part): text})

    def _flush_progress(self) -> None:
        with self.lock:
            percent, step = self.progress
            self.flushed_at["progress"] = time.monotonic()
        self._write(self.progress_key, {"percent": percent, "step": step})

    def _write(self, key: str, mapping: dict) -> None:
        _write_hash(self.client, key, mapping)


def _write_hash(client, key: str, mapping: dict) -> None:
    try:
        pipe = client.pipeline(transaction=False)
        pipe.hset(key, mapping=mapping)
        pipe.expire(key, LIVE_TTL_SECONDS)
        pipe.execute()
    except redis.RedisError:
        log.warning("%s not mirrored to Redis", key)


class Heartbeat:
    """While a job runs, a thread keeps `<prefix>:job:<id>:alive` set with a short expiry;
    when the process dies, the key lapses and the reaper fails the job."""

    def __init__(self, job_id: str):
        self.client = get_redis()
        self.key = _key(job_id, "alive")
        self.ttl = int(current_app.config["JOB_STALE_SECONDS"])
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
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
