"""The job page: progress and the draft as it is written; moves to the post when done."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user, login_required

from ..extensions import htmx
from ..forms import ConfirmForm
from ..rendering import htmx_redirect, page_or_fragment
from ..services import job_registry, live
from ..services import jobs as job_service
from ..services.access import Permission
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
    response = page_or_fragment(
        "jobs/show.html",
        "jobs/_progress.html",
        job=job,
        kind=kind,
        post=post,
        progress=progress,
        step=step,
        draft=live.read_draft(job.id),
        form=ConfirmForm(),
    )
    if htmx and job.status == JobStatus.COMPLETED and post is not None:
        # The poll that sees the job finish moves the browser to the post.
        body, status = response
        return body, status, {"HX-Redirect": url_for("posts.show", post_id=post.id)}
    return response


@bp.post("/<job_id>/cancel")
def cancel(job_id: str):
    job = job_service.get_job_or_404(job_id, current_user, Permission.EDIT)
    form = ConfirmForm()
    if form.validate_on_submit() and not job.is_finished and job_registry.kind_of(job).cancellable:
        job_registry.cancel(job)
    return htmx_redirect("jobs.show", job_id=job.id)
