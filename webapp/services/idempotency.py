"""Idempotency keys: the first response to a POST is kept 24 h and replayed."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from ..errors import AppError
from ..extensions import db
from ..models import IdempotencyRecord
from ..timeutil import utcnow

TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def check_key(key: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise AppError("Idempotency-Key must be 1-255 printable characters.",
                       code="VALIDATION_ERROR")


def find_replay(scope: str, key: str, fingerprint: str) -> IdempotencyRecord | None:
    """The stored response for this key, None if there is none (or it expired).

    Raises IDEMPOTENCY_KEY_REUSED (422) when the key was used with another request.
    """
    record = db.session.execute(
        db.select(IdempotencyRecord).where(
            IdempotencyRecord.scope == scope, IdempotencyRecord.key == key
        )
    ).scalar_one_or_none()
    if record is None:
        return None
    if record.created_at < utcnow() - TTL:
        db.session.delete(record)
        db.session.commit()
        return None
    if record.request_hash != fingerprint:
        raise AppError(
            "This Idempotency-Key was already used with a different request.",
            code="IDEMPOTENCY_KEY_REUSED", status=422,
        )
    return record


def remember_response(scope: str, key: str, fingerprint: str, status: int, body: str) -> None:
    """Keep the first response; a concurrent duplicate loses the race quietly."""
    db.session.add(IdempotencyRecord(
        scope=scope, key=key, request_hash=fingerprint, status_code=status, response_body=body,
    ))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
