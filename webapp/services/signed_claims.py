"""A fast check of the JWTs this app signs itself (`tokens`), with the standard library.

PyJWT spends most of an API request's token check validating the base64 of each segment
one character at a time. This module accepts only what it can fully verify and PyJWT
would accept too: our exact header (HS256), a signature matching the secret (compared in
constant time), and the claims we issue with `exp` still ahead and `iat` not in the
future. For anything else it answers None and `tokens` asks PyJWT, whose verdict (and
precise error: expired, bad signature, malformed) stands. Nothing is cached.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from functools import cache

import jwt

ALGORITHM = "HS256"
# The claims `tokens` puts in access and refresh tokens; any other one goes to PyJWT.
OWN_CLAIMS = frozenset({"sub", "type", "ver", "fam", "jti", "iat", "exp"})


@cache
def own_header() -> str:
    """The encoded header PyJWT writes on our tokens (the same for every token)."""
    return jwt.encode({}, "-" * 32, algorithm=ALGORITHM).split(".")[0]


def verified_own_claims(token: str, secret: str | bytes) -> dict | None:
    """The claims of a token signed with `secret` in our own format, unexpired; None when
    the token is anything else (PyJWT then decides)."""
    header, _, rest = token.partition(".")
    payload, _, signature = rest.partition(".")
    if header != own_header() or not payload or not signature:
        return None
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    if not hmac.compare_digest(expected, signature):
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:  # binascii.Error and JSON errors are ValueErrors
        return None
    return claims if _current_own_claims(claims) else None


def _current_own_claims(claims) -> bool:
    if not isinstance(claims, dict) or not claims.keys() <= OWN_CLAIMS:
        return False
    now = time.time()
    exp, iat = claims.get("exp"), claims.get("iat", 0)
    return (
        type(exp) is int
        and exp > now
        and type(iat) is int
        and iat <= now
        and isinstance(claims.get("sub"), str)
        and isinstance(claims.get("type"), str)
        and isinstance(claims.get("jti", ""), str)
    )
