"""The API's general rate limit (reference 004): 100 requests a minute and 1,000 an hour
per user (per address when the caller is not authenticated), counted over every endpoint
together, as moving windows.

Both windows are checked, counted and reported by one Lua script: one Redis round trip per
request. Flask-Limiter, which keeps the stricter per-route limits of the auth endpoints,
spends three on two limits (a hit each, then the header figures), and status polls are
the API's hottest path.
"""

from __future__ import annotations

import logging
import math
import secrets
import time
from dataclasses import dataclass

import redis
from flask import current_app, g

from ..errors import AppError, ErrorCode
from ..extensions import limiter
from ..services.redis_conn import registered_script
from .principal import rate_limit_key

log = logging.getLogger(__name__)
LIMITS = ((100, 60), (1000, 3600))  # (requests, window in seconds)

# KEYS: one sorted set per window. ARGV: now (ms), a unique member, then the limit and the
# window (ms) of each key. A request is counted in every window, or (refused) in none.
# Returns: allowed (1/0), then per window the requests in it and when its oldest one
# leaves it (ms).
_SCRIPT = """
local now = tonumber(ARGV[1])
local allowed = 1
local counts = {}
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  counts[i] = redis.call('ZCARD', key)
  if counts[i] >= tonumber(ARGV[1 + 2 * i]) then allowed = 0 end
end
local result = {allowed}
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[2 + 2 * i])
  if allowed == 1 then
    redis.call('ZADD', key, now, ARGV[2])
    redis.call('PEXPIRE', key, window)
    counts[i] = counts[i] + 1
  end
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  local leaves = now + window
  if oldest[2] then leaves = tonumber(oldest[2]) + window end
  result[#result + 1] = counts[i]
  result[#result + 1] = leaves
end
return result
"""


@dataclass(frozen=True)
class Window:
    limit: int
    used: int
    resets_at: float  # epoch seconds when a request leaves the window

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


class RateLimitExceeded(AppError):
    code = ErrorCode.RATE_LIMIT_EXCEEDED


def check_rate_limit() -> None:
    """Count this request (before_request of the API blueprint); 429 when a window is
    full. When Redis is unreachable the request goes through uncounted."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    try:
        allowed, windows = _count_request(rate_limit_key())
    except redis.RedisError:
        log.warning("rate limit not checked: Redis unreachable")
        return
    shown = min(windows, key=lambda window: window.remaining)
    g.api_rate_limit = shown
    if not allowed:
        full = [window for window in windows if window.remaining == 0]
        retry_after = max(1, math.ceil(max(w.resets_at for w in full) - time.time()))
        raise RateLimitExceeded(
            f"Too many requests. Try again in {retry_after} seconds.", retry_after=retry_after
        )


def add_rate_limit_headers(response):
    """X-RateLimit-* of the window closest to its limit (after_request of the blueprint;
    Retry-After on a 429 comes from the error's `retry_after`). A route with a stricter
    limit of its own reports that one (Flask-Limiter adds its headers after this)."""
    window = g.get("api_rate_limit")
    if window is not None and limiter.current_limit is None:
        response.headers["X-RateLimit-Limit"] = str(window.limit)
        response.headers["X-RateLimit-Remaining"] = str(window.remaining)
        response.headers["X-RateLimit-Reset"] = str(math.ceil(window.resets_at))
    return response


def _count_request(key: str) -> tuple[bool, list[Window]]:
    prefix = f"{current_app.config['REDIS_KEY_PREFIX']}-api-rl:{key}"
    args = [int(time.time() * 1000), secrets.token_hex(8)]
    for limit, seconds in LIMITS:
        args += [limit, seconds * 1000]
    script = registered_script("copydesk_api_rate_limit", _SCRIPT)
    reply = script(keys=[f"{prefix}:{seconds}" for _, seconds in LIMITS], args=args)
    windows = [
        Window(limit=limit, used=int(reply[1 + 2 * i]), resets_at=int(reply[2 + 2 * i]) / 1000)
        for i, (limit, _) in enumerate(LIMITS)
    ]
    return bool(reply[0]), windows
