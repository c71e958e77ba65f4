"""The job page: progress and the draft as it is written; moves to the post when done."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user, login_required

from ..extensions import htmx
from ..forms import ConfirmForm
from ..rendering import htmx_redirect, page_or_fragment, streamed_download
from ..services import bulk, exports, job_registry, live
from ..services import jobs as job_service
from ..services.access import Permission
from ..services.exports import project_zip
from ..services.projects import get_project_or_404
from ..services.reaper import repair_if_stale
from ..vocabulary import JobStatus
from . import bp


@bp.before_request
@login_required
def require_login():
    """Every job page needs a signed-in user."""


@bp.get("/<job_id>")
def show(job_id: str):
    job = repair_if_stale(job_service.get_job_or_404(job_id, current_user))
    kind = job_registry.kind_of(job)
    post = kind.post_of(job.id)
    progress, step = job_service.live_progress(job)
    step = step or ("Waiting for a worker" if job.status == JobStatus.QUEUED else "")
    rows = bulk.rows_of(job)
    response = page_or_fragment(
        "jobs/show.html",
        "jobs/_progress.html" if rows is None else "jobs/_bulk_rows.html",
        job=job,
        kind=kind,
        post=post,
        progress=progress,
        step=step,
        draft=live.read_draft(job.id) if rows is None else [],
        form=ConfirmForm(),
        downloadable=project_zip.can_download(job),
        **bulk_context(job, rows),
    )
    if htmx and job.status == JobStatus.COMPLETED and post is not None:
        # The poll that sees the job finish moves the browser to the post.
        body, status = response
        return body, status, {"HX-Redirect": url_for("posts.show", post_id=post.id)}
    return response


def bulk_context(job, rows: list[dict] | None) -> dict:
    """What the page of a bulk job adds: its rows (None for another job), its project and
    the CSV's name."""
    if rows is None:
        return {"rows": None}
    return {
        "rows": rows,
        "project": get_project_or_404(job.project_id, current_user),
        "csv_name": bulk.csv_filename(job),
    }


@bp.get("/<job_id>/posts.zip")
def download(job_id: str):
    """The posts the job wrote, as the API's `GET /jobs/{id}/download` gives them."""
    job = job_service.get_job_or_404(job_id, current_user)
    project_zip.require_job_download(job)
    return streamed_download(
        project_zip.job_zip(job.id), exports.ZIP_MIMETYPE, project_zip.job_zip_filename(job)
    )


@bp.post("/<job_id>/cancel")
def cancel(job_id: str):
    job = job_service.get_job_or_404(job_id, current_user, Permission.EDIT)
    form = ConfirmForm()
    if form.validate_on_submit() and not job.is_finished and job_registry.kind_of(job).cancellable:
        job_registry.cancel(job)
    return htmx_redirect("jobs.show", job_id=job.id)
