"""The application's Redis connection (short timeouts: a dead Redis must not hang pages)."""

from __future__ import annotations

import redis
from flask import current_app
from redis.commands.core import Script


def get_redis() -> redis.Redis:
    """One client per app, created lazily from REDIS_URL."""
    client = current_app.extensions.get("copydesk_redis")
    if client is None:
        client = redis.Redis.from_url(
            current_app.config["REDIS_URL"],
            socket_connect_timeout=0.5,
            socket_timeout=2,
        )
        current_app.extensions["copydesk_redis"] = client
    return client


def registered_script(name: str, source: str) -> Script:
    """The Lua script `source`, registered once per app under `name` (run by its digest)."""
    script = current_app.extensions.get(name)
    if script is None:
        script = get_redis().register_script(source)
        current_app.extensions[name] = script
    return script


def redis_is_up() -> bool:
    try:
        return bool(get_redis().ping())
    except redis.RedisError:
        return False
