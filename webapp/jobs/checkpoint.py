"""The outline checkpoint on the job page: a paused job's outline edited (rename, reorder,
add and remove sections), saved and confirmed. One form, each button a submit with its
`action`: without JavaScript the server applies it and answers the page; with htmx the
same post answers the editor (#checkpoint) alone."""

from __future__ import annotations

from flask import flash, request
from flask_login import current_user

from ..errors import AppError, ErrorCode
from ..extensions import db, htmx
from ..rendering import attach_error, htmx_redirect, page_or_fragment
from ..services import jobs as job_service
from ..services.access import Permission
from ..services.workflows import checkpoints
from ..vocabulary import JobStatus
from . import bp
from .forms import OutlineForm, edited
from .routes import page_context

# Buttons that change the form only; "save" and "confirm" go to the service.
EDITS = ("add", "up", "down", "remove")


@bp.post("/<job_id>/outline")
def outline(job_id: str):
    job = job_service.get_job_or_404(job_id, current_user, Permission.EDIT)
    if job.status != JobStatus.SLOT_NEEDED:
        flash("This job is no longer waiting for its outline.", "info")
        return htmx_redirect("jobs.show", job_id=job.id)
    form = OutlineForm()
    if not form.validate_on_submit():
        form.form_errors.append("The form could not be read: reload the page and try again.")
        return editor(job, form, status=400)
    action = request.form.get("action") or "save"
    if action.partition("-")[0] in EDITS:
        changed, focus, problem = edited(form.outline(), action)
        shown = OutlineForm.of(changed, form.item_version.data)
        shown.sections.errors = [problem] if problem else []
        unsaved = changed != checkpoints.outline_of(job)
        return editor(job, shown, focus=focus, unsaved=unsaved)
    try:
        job = saved(job, form)
    except AppError as error:
        return refused(job, form, error)
    if action != "confirm":
        return editor(job, OutlineForm.of_job(job), notice="Outline saved.")
    try:
        checkpoints.confirm(job, current_user, job.item_version)
    except AppError as error:
        return refused(job, OutlineForm.of_job(job), error)
    return htmx_redirect("jobs.show", job_id=job.id)


def saved(job, form: OutlineForm):
    """The job holding the form's outline: filled in, unless it holds that one already
    (at the version the form was made from)."""
    outline = form.outline()
    if outline == checkpoints.outline_of(job) and form.item_version.data == job.item_version:
        return job
    value = [{"slot_id": "outline", "value": outline}]
    return checkpoints.fill_slots(job, current_user, form.item_version.data, value)


def refused(job, form: OutlineForm, error: AppError):
    """What the service refused: a stale version shows the current outline; a job no
    longer paused, its page; anything else, the message next to its field."""
    if error.code == ErrorCode.INVALID_STATE:
        flash(error.message, "error")
        return htmx_redirect("jobs.show", job_id=job.id)
    if error.code == ErrorCode.VERSION_CONFLICT:
        db.session.rollback()  # read the outline as it is now
        message = (
            "The outline was changed elsewhere (by a teammate or in another tab) while you "
            f"edited it. This is the current one, version {job.item_version}: your changes "
            "were not saved."
        )
        return editor(job, OutlineForm.of_job(job), status=409, conflict=message)
    attach_error(form, error, field_at=form.field_at)
    return editor(job, form, status=error.status)


def editor(job, form: OutlineForm, status: int = 200, **messages):
    """The job page with the outline editor showing `form`, or to htmx the editor alone
    (answered 200, so that htmx swaps it in with its messages)."""
    context = {**page_context(job), "outline_form": form, **messages}
    status = 200 if htmx else status
    return page_or_fragment("jobs/show.html", "jobs/_checkpoint.html", status=status, **context)
