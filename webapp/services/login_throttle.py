"""Password guessing limits that follow the account, not the address: at most 10 wrong
passwords per normalised email (sign-in) and per user (current-password checks) in any
15 minutes, however many client addresses the guesses come from.

Every attempt is counted in a Redis sorted set *before* the password is verified, by one
Lua script that refuses when the window is full; a successful attempt then takes its own
entry out again. Counting first keeps the bound exact under concurrency (a hundred parallel
guesses cannot all pass a check made before any of them is recorded).

A success removes only itself, not earlier failures: with a reset, every success (an app
that signs in each minute, the owner using the site) would hand a guesser ten fresh tries,
and the limit would be ten per success instead of ten per 15 minutes.

Unknown emails are counted exactly like known ones, before the account is looked up, so a
refusal says nothing about which accounts exist. When Redis is unreachable the attempt
goes through uncounted (as every other limit of the app fails open).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from flask import current_app

from ..errors import AppError, ErrorCode
from .redis_conn import get_redis, registered_script

log = logging.getLogger(__name__)

MAX_FAILURES = 10
WINDOW_SECONDS = 15 * 60

# KEYS[1]: the subject's sorted set of attempts (score: when, in ms). ARGV: now (ms), a
# unique member, the limit, the window (ms). Returns 0 when the attempt was counted, else
# when (ms) the oldest attempt leaves the window.
_SCRIPT = """
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + window
end
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('PEXPIRE', KEYS[1], window)
return 0
"""


class TooManyAttempts(AppError):
    code = ErrorCode.RATE_LIMIT_EXCEEDED

    @property
    def retry_after(self) -> int:
        return self.extra["retry_after"]


@contextmanager
def sign_in_attempt(email: str) -> Iterator[None]:
    """Count a sign-in for `email` (normalised by the caller); TooManyAttempts when 10
    failed in the last 15 minutes. The attempt stays counted unless the block succeeds."""
    with _counted_attempt("sign-in", email, "Too many failed sign-in attempts."):
        yield


@contextmanager
def password_check(user_id: str) -> Iterator[None]:
    """Count a check of the signed-in user's current password, like `sign_in_attempt`."""
    with _counted_attempt("password-check", user_id, "Too many wrong passwords."):
        yield


@contextmanager
def _counted_attempt(scope: str, subject: str, refusal: str) -> Iterator[None]:
    key = _key(scope, subject)
    member = _reserve(key, refusal)
    yield
    if member is not None:
        _release(key, member)


def _reserve(key: str, refusal: str) -> str | None:
    """Count one attempt; its member, or None when nothing was counted (limits off or
    Redis unreachable)."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return None
    now_ms, member = int(time.time() * 1000), secrets.token_hex(8)
    try:
        script = registered_script("copydesk_login_throttle", _SCRIPT)
        free_at_ms = int(
            script(keys=[key], args=[now_ms, member, MAX_FAILURES, WINDOW_SECONDS * 1000])
        )
    except redis.RedisError:
        log.warning("password attempt not counted: Redis unreachable")
        return None
    if free_at_ms:
        retry_after = max(1, math.ceil((free_at_ms - now_ms) / 1000))
        raise TooManyAttempts(
            f"{refusal} Try again in {describe_wait(retry_after)}.", retry_after=retry_after
        )
    return member


def _release(key: str, member: str) -> None:
    try:
        get_redis().zrem(key, member)
    except redis.RedisError:
        log.warning("successful password attempt left counted: Redis unreachable")


def forget_failures(email: str, user_id: str) -> None:
    """Lift the locks on an account whose owner has just proved it by a password reset: its
    email's failed sign-ins and its failed current-password checks are forgotten."""
    try:
        get_redis().delete(_key("sign-in", email), _key("password-check", user_id))
    except redis.RedisError:
        log.warning("failed password attempts not forgotten: Redis unreachable")


def describe_wait(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"


def _key(scope: str, subject: str) -> str:
    # Keyed digest: the counters name no email address to whoever can read Redis.
    digest = hmac.new(
        current_app.config["SECRET_KEY"].encode(), subject.encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"{current_app.config['REDIS_KEY_PREFIX']}-auth-attempts:{scope}:{digest}"
