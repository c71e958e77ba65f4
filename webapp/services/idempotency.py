"""Idempotency keys: a POST runs once per key, and its first 2xx response is kept 24 h
and replayed.

The key is claimed before the request runs: a pending record committed in its own
transaction, the unique constraint on (scope, key) deciding any race. A duplicate sent
while the first request runs is refused, so there is never a second project, job or
charge. A failed first request releases its claim so that a retry can run.

Only an HMAC of the request is kept (a register body holds a password), and a response
that carries a credential is never kept: its key still guards against a second run, but
a retry is told the response cannot be shown again.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..errors import AppError, ErrorCode
from ..extensions import db
from ..models import IdempotencyRecord
from ..timeutil import utcnow

TTL = timedelta(hours=24)
# A claim this old belongs to a process that died mid-request: the next request takes it.
ABANDONED_AFTER = timedelta(minutes=5)
MAX_KEY_LENGTH = 255
_CLAIM_ATTEMPTS = 3
_FINGERPRINT_PURPOSE = b"copydesk idempotency request fingerprint v1"


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    """HMAC-SHA256 (hex) of the request, keyed by a sub-key of SECRET_KEY."""
    message = method.encode() + b" " + path.encode() + b"\n" + body
    return hmac.new(_fingerprint_key(), message, hashlib.sha256).hexdigest()


def _fingerprint_key() -> bytes:
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, _FINGERPRINT_PURPOSE, hashlib.sha256).digest()


def scope_for(user_id: str | None, fingerprint: str) -> str:
    """Keys are per user; without a user, per request, so strangers never share a key."""
    return f"user:{user_id}" if user_id else f"anon:{fingerprint}"


def check_key(key: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise AppError(
            "Idempotency-Key must be 1-255 printable characters.", code=ErrorCode.VALIDATION_ERROR
        )


def claim_key(scope: str, key: str, fingerprint: str) -> IdempotencyRecord:
    """Claim `key` for this request, or find the finished first request that used it.

    Returns a pending record when this request now owns the key (run it, then
    `complete_claim` or `release_claim`), or the completed record to replay. Raises
    IDEMPOTENCY_KEY_REUSED (422) for another request under the key, IDEMPOTENCY_IN_PROGRESS
    (409) while the first one runs, IDEMPOTENCY_REPLAY_UNAVAILABLE (409) when the first
    succeeded but its response carried a credential and was not kept.
    """
    for _ in range(_CLAIM_ATTEMPTS):
        existing = db.session.execute(
            db.select(IdempotencyRecord).where(
                IdempotencyRecord.scope == scope, IdempotencyRecord.key == key
            )
        ).scalar_one_or_none()
        if existing is not None and not _lapsed(existing, utcnow()):
            return _first_request_outcome(existing, fingerprint)
        claimed = _insert_claim(scope, key, fingerprint, replacing=existing)
        if claimed is not None:
            return claimed
    raise _in_progress()  # every attempt lost a race to a request that is still running


def _lapsed(record: IdempotencyRecord, now: datetime) -> bool:
    """Expired, or claimed by a request that never finished."""
    if record.created_at < now - TTL:
        return True
    return record.is_pending and record.created_at < now - ABANDONED_AFTER


def _first_request_outcome(record: IdempotencyRecord, fingerprint: str) -> IdempotencyRecord:
    if not hmac.compare_digest(record.request_hmac, fingerprint):
        raise AppError(
            "This Idempotency-Key was already used with a different request.",
            code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
        )
    if record.is_pending:
        raise _in_progress()
    if record.response_body is None:
        raise AppError(
            "A request with this Idempotency-Key already succeeded and was not run again. "
            "Its response carried a secret, which is shown once and never stored, so it "
            "cannot be replayed.",
            code=ErrorCode.IDEMPOTENCY_REPLAY_UNAVAILABLE,
        )
    return record


def _in_progress() -> AppError:
    return AppError(
        "A request with this Idempotency-Key is still running; retry in a "
        "moment to get its response.",
        code=ErrorCode.IDEMPOTENCY_IN_PROGRESS,
    )


def _insert_claim(
    scope: str, key: str, fingerprint: str, replacing: IdempotencyRecord | None
) -> IdempotencyRecord | None:
    """A committed pending record, or None when another request claimed the key first."""
    if replacing is not None:
        # Only the lapsed row we read: a request taking it over meanwhile wrote a new one.
        db.session.execute(
            db.delete(IdempotencyRecord).where(
                IdempotencyRecord.id == replacing.id,
                IdempotencyRecord.created_at == replacing.created_at,
            ),
            execution_options={"synchronize_session": False},
        )
        db.session.expunge(replacing)
    claim = IdempotencyRecord(scope=scope, key=key, request_hmac=fingerprint)
    db.session.add(claim)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return claim


def complete_claim(claim_id: str, status: int, response_body: str | None) -> None:
    """Keep the first request's answer; `response_body` None when it must not be kept."""
    db.session.execute(
        db.update(IdempotencyRecord)
        .where(IdempotencyRecord.id == claim_id, IdempotencyRecord.status_code.is_(None))
        .values(status_code=status, response_body=response_body),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()


def release_claim(claim_id: str) -> None:
    """Forget the claim of a request that failed, so that a retry can run. Discards first
    whatever the failed request left uncommitted in the session."""
    db.session.rollback()
    db.session.execute(
        db.delete(IdempotencyRecord).where(
            IdempotencyRecord.id == claim_id, IdempotencyRecord.status_code.is_(None)
        ),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()


def purge_expired(now: datetime | None = None) -> int:
    """Delete records (and claims) older than 24 h; returns how many. Run periodically."""
    cutoff = (now or utcnow()) - TTL
    deleted = db.session.execute(
        db.delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff),
        execution_options={"synchronize_session": False},
    ).rowcount
    db.session.commit()
    return deleted
