"""UTC time helpers: what the database stores and how the API writes it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from markupsafe import Markup


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


def time_ago(moment: datetime, now: datetime | None = None) -> str:
    """ "just now", "5 minutes ago", "2 hours ago", "3 days ago"."""
    seconds = max(0, int(((now or utcnow()) - moment).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"


RECENT = timedelta(days=7)  # what static/js/time.js shows as relative
EXACT_FORMATS = {"datetime": "%d %b %Y, %H:%M UTC", "date": "%d %b %Y"}


def time_element(
    moment: datetime | None, style: str = "datetime", relative: bool = False
) -> Markup:
    """A `<time>` of `moment` for a page: the exact UTC time as text and title, which
    static/js/time.js rewrites to the reader's zone (relative when recent). `style` is
    "datetime" or "date" (the day only, when the time of day does not matter);
    `relative` says "2 hours ago" already on the server when within a week."""
    if moment is None:
        return Markup("never")
    exact = moment.strftime(EXACT_FORMATS[style])
    if relative and utcnow() - moment < RECENT:
        exact = time_ago(moment)
    return Markup('<time datetime="{}" title="{}" data-local="{}">{}</time>').format(
        iso_utc(moment), moment.strftime(EXACT_FORMATS["datetime"]), style, exact
    )
