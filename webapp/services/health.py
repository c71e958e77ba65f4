"""Reachability of the database and Redis, for /healthz."""

from __future__ import annotations

from ..extensions import db
from .redis_conn import redis_is_up


def database_is_up() -> bool:
    try:
        db.session.execute(db.text("SELECT 1"))
        return True
    except Exception:
        db.session.rollback()
        return False


def health_report() -> tuple[dict, bool]:
    """The report, and whether the web process can serve (it can without Redis)."""
    database = database_is_up()
    redis_ok = redis_is_up()
    report = {
        "status": "ok" if database and redis_ok else "degraded",
        "database": "ok" if database else "unavailable",
        "redis": "ok" if redis_ok else "unavailable",
    }
    return report, database
