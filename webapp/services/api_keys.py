"""API keys: creation (secret shown once), lookup by hash, usage tracking, revocation."""

from __future__ import annotations

import hashlib
import re
import secrets
import string

from ..errors import Conflict, ErrorCode, Forbidden, Unauthorized
from ..extensions import db
from ..models import ApiKey, User
from ..timeutil import utcnow
from ..vocabulary import KeyMode
from .access import get_owned_or_404, owned

MAX_ACTIVE_KEYS = 5
PREFIXES = {KeyMode.LIVE: "sk_live_", KeyMode.TEST: "sk_test_"}
_ALPHABET = string.ascii_letters + string.digits
_SECRET_LENGTH = 40
_VISIBLE_SECRET_CHARS = 6
KEY_PATTERN = re.compile(rf"^sk_(live|test)_[A-Za-z0-9]{{{_SECRET_LENGTH}}}$")


def looks_like_api_key(token: str) -> bool:
    return token.startswith(("sk_live_", "sk_test_"))


def hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def active_keys(user: User) -> list[ApiKey]:
    """The user's keys that still work, newest first."""
    return list(
        db.session.execute(
            owned(ApiKey, user)
            .where(ApiKey.revoked_at.is_(None))
            .order_by(ApiKey.created_at.desc(), ApiKey.id.desc())
        ).scalars()
    )


def create_api_key(
    user: User, name: str, mode: str = KeyMode.LIVE, created_with_test_key: bool = False
) -> tuple[ApiKey, str]:
    """Create a key; returns the record and the raw secret, which is never stored.

    A caller holding only a test key may create test keys, never a live one
    (LIVE_KEY_REQUIRED): a leaked test key must not turn into quota-spending access.
    """
    if created_with_test_key and mode != KeyMode.TEST:
        refuse_test_key(
            "A test API key can only create test keys. Use a live key or an "
            "access token to create a live key."
        )
    if len(active_keys(user)) >= MAX_ACTIVE_KEYS:
        raise Conflict(
            f"You already have {MAX_ACTIVE_KEYS} active API keys; revoke one first.",
            code=ErrorCode.API_KEY_LIMIT_REACHED,
        )
    raw_key = PREFIXES[mode] + "".join(secrets.choice(_ALPHABET) for _ in range(_SECRET_LENGTH))
    key = ApiKey(
        user_id=user.id,
        name=name.strip() or "API key",
        mode=mode,
        prefix=raw_key[: len(PREFIXES[mode]) + _VISIBLE_SECRET_CHARS],
        key_hash=hash_key(raw_key),
    )
    db.session.add(key)
    db.session.commit()
    return key, raw_key


def get_api_key_or_404(key_id: str, user: User) -> ApiKey:
    """The user's active key with this id; anybody else's is NOT_FOUND."""
    return get_owned_or_404(
        ApiKey, key_id, user, ApiKey.revoked_at.is_(None), message="API key not found."
    )


def refuse_test_key(message: str) -> None:
    """LIVE_KEY_REQUIRED (403): what a test key may not do, so that a leaked test key never
    reaches live access or locks its owner out."""
    raise Forbidden(message, code=ErrorCode.LIVE_KEY_REQUIRED)


def revoke_api_key(key: ApiKey, revoked_with_test_key: bool = False) -> None:
    """Revoke at once: the next request with it is refused. A test key may revoke test
    keys only (LIVE_KEY_REQUIRED)."""
    if revoked_with_test_key and key.mode != KeyMode.TEST:
        refuse_test_key(
            "A test API key can only revoke test keys. Use a live key or an "
            "access token to revoke a live key."
        )
    key.revoked_at = utcnow()
    db.session.commit()


def authenticate_api_key(raw_key: str):
    """The active key matching `raw_key` as a row (`id`, `user_id`, `mode`), counted as used;
    INVALID_API_KEY otherwise.

    One statement finds, checks and counts the key (UPDATE ... RETURNING), so a revoked key
    is refused by the very next request and no ORM object is loaded.
    """
    row = None
    if KEY_PATTERN.match(raw_key):
        row = db.session.execute(
            _COUNT_ACTIVE_KEY_USE, {"presented_hash": hash_key(raw_key), "used_at_now": utcnow()}
        ).first()
        db.session.commit()
    if row is None:
        raise Unauthorized(
            "The API key is invalid or has been revoked.", code=ErrorCode.INVALID_API_KEY
        )
    return row


_api_keys = ApiKey.__table__
_users = User.__table__
_COUNT_ACTIVE_KEY_USE = (
    db.update(_api_keys)
    .where(
        _api_keys.c.key_hash == db.bindparam("presented_hash"),
        _api_keys.c.revoked_at.is_(None),
        db.exists().where(_users.c.id == _api_keys.c.user_id, _users.c.disabled_at.is_(None)),
    )
    .values(request_count=_api_keys.c.request_count + 1, last_used_at=db.bindparam("used_at_now"))
    .returning(_api_keys.c.id, _api_keys.c.user_id, _api_keys.c.mode)
)
