"""Source pages; the domain work is in services.sources."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from werkzeug.utils import secure_filename

from ..errors import AppError
from ..extensions import limiter
from ..forms import ConfirmForm
from ..projects import panels as project_panels  # a module: the two packages import each other
from ..rendering import attach_error, htmx_redirect, page_or_fragment
from ..services import bulk as bulk_service
from ..services import footnotes as footnote_service
from ..services import sources as source_service
from ..services.access import Permission
from ..services.projects import get_project_or_404
from . import bp
from .forms import RenameForm, UrlImportForm
from .panels import list_context


def per_user() -> str:
    """Rate-limit key: the signed-in user (the address for anyone else, who is refused)."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


# Uploads and imports from the pages are limited like the API: 100 a minute and 1,000 an
# hour per user, both routes together.
source_writes_limit = limiter.shared_limit(
    "100/minute;1000/hour", scope="source-writes", key_func=per_user
)


@bp.before_request
@login_required
def require_login():
    """Every source page needs a signed-in user."""


def respond_with_list(project, notices, status=200):
    """htmx gets the refreshed list with the notices; a plain form post goes back to the
    project page with them as flash messages."""
    if request.headers.get("HX-Request"):
        return page_or_fragment(
            "sources/index.html",
            "sources/_list.html",
            status=status,
            **list_context(project, notices),
        )
    for category, message in notices:
        flash(message, category)
    return redirect(url_for("projects.show", project_id=project.id))


@bp.get("")
def index(project_id: str):
    project = get_project_or_404(project_id, current_user)
    return page_or_fragment("sources/index.html", "sources/_list.html", **list_context(project))


@bp.post("")
@source_writes_limit
def upload(project_id: str):
    project = get_project_or_404(project_id, current_user, Permission.EDIT)
    files = [f for f in request.files.getlist("file") if f and f.filename]
    if not files:
        return respond_with_list(
            project, [("error", "Choose one or more files to upload.")], status=400
        )
    # A file taken needs no notice: its row and the list's "Reading…" line show it.
    notices = []
    for upload in files:
        try:
            source_service.add_upload(current_user, project, upload.filename, upload.stream)
        except AppError as error:
            notices.append(
                ("error", f"{source_service.clean_filename(upload.filename)}: {error.message}")
            )
    return respond_with_list(project, notices)


@bp.post("/url")
@source_writes_limit
def import_url(project_id: str):
    project = get_project_or_404(project_id, current_user, Permission.EDIT)
    form = UrlImportForm()
    if not form.validate_on_submit():
        problem = f"Web page address: {next(iter(form.errors.values()))[0]}"
    else:
        try:
            source_service.add_url(current_user, project, form.url.data.strip())
        except AppError as error:
            attach_error(form, error, "url")
            problem = error.message
        else:
            return respond_with_list(project, [])
    if request.headers.get("HX-Request"):
        return respond_with_list(project, [("error", problem)])
    # Without JavaScript the project page comes back with the error next to the field
    # (its import form unfolded).
    return render_template(
        "projects/show.html",
        **project_panels.project_page_context(project, **list_context(project, url_form=form)),
    ), 400


@bp.get("/<source_id>")
def show(project_id: str, source_id: str):
    project = get_project_or_404(project_id, current_user)
    source = _source_in(project, source_id)
    return page_or_fragment(
        "sources/show.html",
        "sources/_detail.html",
        **detail_context(project, source, RenameForm(obj=source)),
    )


@bp.get("/<source_id>/topics.csv")
def download_topics(project_id: str, source_id: str):
    project = get_project_or_404(project_id, current_user)
    source = _source_in(project, source_id)
    stem = secure_filename(source.filename.rsplit(".", 1)[0]) or "source"
    return Response(
        source_service.topics_csv(source),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{stem}-topics.csv"'},
    )


@bp.post("/<source_id>/rename")
def rename(project_id: str, source_id: str):
    project = get_project_or_404(project_id, current_user, Permission.EDIT)
    source = _source_in(project, source_id)
    form = RenameForm()
    if form.validate_on_submit():
        source_service.rename_source(source, form.filename.data)
        flash("Source renamed.", "success")
        return redirect(url_for("sources.show", project_id=project.id, source_id=source.id))
    return page_or_fragment(
        "sources/show.html",
        "sources/_detail.html",
        status=400,
        **detail_context(project, source, form),
    )


@bp.post("/<source_id>/generate-all")
def generate_all(project_id: str, source_id: str):
    """Start a bulk job on a topics CSV, then show its page; a refusal (the plan's
    bulk_limit, concurrency, quota) is shown on the source's page."""
    project = get_project_or_404(project_id, current_user, Permission.EDIT)
    source = _source_in(project, source_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        problem = "The form expired; send it again."
    else:
        try:
            job = bulk_service.request_bulk_generation(
                current_user, project_id=project.id, csv_source_id=source.id
            )
        except AppError as error:
            problem = error.message
        else:
            return htmx_redirect("jobs.show", job_id=job.id)
    return page_or_fragment(
        "sources/show.html",
        "sources/_detail.html",
        status=400,
        bulk_error=problem,
        **detail_context(project, source, RenameForm(obj=source)),
    )


@bp.route("/<source_id>/delete", methods=["GET", "POST"])
def delete(project_id: str, source_id: str):
    project = get_project_or_404(project_id, current_user, Permission.EDIT)
    source = _source_in(project, source_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        source_service.delete_source(source)
        flash(f"“{source.filename}” was deleted.", "success")
        return htmx_redirect("projects.show", project_id=project.id)
    return page_or_fragment(
        "sources/delete.html", "sources/delete.html", project=project, source=source, form=form
    )


QUOTE_MAX = 600  # a footnote's quote in the link that opens its passage


def detail_context(project, source, form) -> dict:
    """What the source page shows: its text as numbered passages, the one `?passage=N`
    names highlighted and `?quote=` marked inside it (a footnote's link)."""
    requested = request.args.get("passage", type=int)
    quote = request.args.get("quote", type=str, default="")[:QUOTE_MAX]
    passages, total = footnote_service.passages_view(source, requested, quote)
    return dict(
        project=project,
        source=source,
        form=form,
        passages=passages,
        passage_total=total,
        requested_passage=requested,
    )


def _source_in(project, source_id: str):
    return source_service.get_source_or_404(source_id, current_user, project=project)
