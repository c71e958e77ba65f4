"""Operator commands: `flask jobs failed` lists failed jobs, `flask jobs retry JOB_ID` runs
a failed job's work again through the job registry."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..errors import AppError
from ..services import job_registry
from ..services import jobs as job_service
from ..vocabulary import JobType

jobs_cli = AppGroup("jobs", help="Inspect and retry background jobs.")
REASON_WIDTH = 100


@jobs_cli.command("failed")
@click.option(
    "--limit",
    type=click.IntRange(1, 1000),
    default=20,
    show_default=True,
    help="How many jobs to list.",
)
@click.option(
    "--type",
    "job_type",
    type=click.Choice([t.value for t in JobType]),
    default=None,
    help="Only jobs of this type.",
)
def list_failed(limit: int, job_type: str | None) -> None:
    """List failed jobs, the latest to fail first: id, type, user, when, why."""
    rows = job_service.failed_jobs(limit=limit, job_type=job_type)
    if not rows:
        click.echo("No failed jobs.")
        return
    for job, email in rows:
        finished = job.finished_at.strftime("%Y-%m-%d %H:%M:%S UTC") if job.finished_at else "-"
        click.echo(
            f"{job.id}  {job.job_type:<18}  {email}  {finished}  "
            f"{one_line(job.error_message or '')}"
        )


@jobs_cli.command("retry")
@click.argument("job_id")
def retry(job_id: str) -> None:
    """Run a failed job's work again as a new job (a post is written again within the
    plan's limits; a source is parsed or imported again)."""
    try:
        job = job_registry.retry(job_id.strip())
    except AppError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Queued job {job.id} ({job.job_type}) to retry job {job_id}.")


def one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= REASON_WIDTH else text[: REASON_WIDTH - 1] + "…"
