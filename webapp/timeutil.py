"""UTC time helpers: what the database stores and how the API writes it."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """Naive UTC now: what every DateTime column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def epoch(moment: datetime) -> int:
    """Seconds since the epoch for a naive-UTC datetime."""
    return int(moment.replace(tzinfo=UTC).timestamp())


def iso_utc(moment: datetime | date | None) -> str | None:
    """ISO-8601 UTC with a `Z`, as every timestamp in the API."""
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"
