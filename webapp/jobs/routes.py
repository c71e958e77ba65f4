"""The job page: progress and the draft as it is written; moves to the post when done."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user, login_required

from ..extensions import htmx
from ..forms import ConfirmForm
from ..rendering import htmx_redirect, page_or_fragment, streamed_download
from ..services import bulk, exports, generation_jobs, job_registry, live
from ..services import jobs as job_service
from ..services.access import Permission
from ..services.exports import project_zip
from ..services.projects import get_project_or_404
from ..services.reaper import repair_if_stale
from ..vocabulary import JobStatus
from . import bp
from .forms import OutlineForm


@bp.before_request
@login_required
def require_login():
    """Every job page needs a signed-in user."""


@bp.get("/<job_id>")
def show(job_id: str):
    job = repair_if_stale(job_service.get_job_or_404(job_id, current_user))
    context = page_context(job)
    post = context["post"]
    # A paused job's page shows its checkpoint (jobs/_progress.html includes it), a bulk
    # job's its rows.
    fragment = "jobs/_progress.html" if context["rows"] is None else "jobs/_bulk_rows.html"
    response = page_or_fragment("jobs/show.html", fragment, **context)
    if htmx and job.status == JobStatus.COMPLETED and post is not None and not context["written"]:
        # The poll that sees a one-post job finish moves the browser to the post; a job
        # that wrote several (a campaign) lists them on its page instead.
        body, status = response
        return body, status, {"HX-Redirect": url_for("posts.show", post_id=post.id)}
    return response


def page_context(job) -> dict:
    """What the job page shows: progress, the draft so far, the outline of a paused job,
    the rows of a bulk job."""
    kind = job_registry.kind_of(job)
    progress, step = job_service.live_progress(job)
    rows = bulk.rows_of(job)
    if job.status == JobStatus.SLOT_NEEDED:
        step = step or "The outline is ready for review"
    step = step or ("Waiting for a worker" if job.status == JobStatus.QUEUED else "")
    return {
        "job": job,
        "kind": kind,
        "post": kind.post_of(job.id),
        "progress": progress,
        "step": step,
        "draft": live.read_draft(job.id) if rows is None else [],
        "form": ConfirmForm(),
        "downloadable": project_zip.can_download(job),
        "outline_form": OutlineForm.of_job(job) if job.status == JobStatus.SLOT_NEEDED else None,
        "written": written_posts(job, rows),
        **bulk_context(job, rows),
    }


def written_posts(job, rows: list[dict] | None) -> list:
    """The posts a completed job wrote, when it wrote several outside a bulk table (a
    campaign pack, a repurpose into several channels); empty otherwise."""
    if rows is not None or job.status != JobStatus.COMPLETED or job.total_items < 2:
        return []
    return generation_jobs.posts_of(job.id)


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
