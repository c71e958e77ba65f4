"""Operator commands that keep the database tidy (`flask maintenance ...`)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..services import retention

maintenance_cli = AppGroup("maintenance", help="Housekeeping of the database.")


@maintenance_cli.command("purge-expired")
def purge_expired() -> None:
    """Delete expired records: day-old Idempotency-Key records, expired refresh tokens,
    ended sessions and old sent or failed outbox mail. Safe to run from cron."""
    counts = retention.purge_expired()
    for kind, count in counts.items():
        click.echo(f"{kind}: {count} deleted")
