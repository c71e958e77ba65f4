"""Link opportunity pages: the project page's panel, add and delete."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from ..errors import AppError
from ..forms import ConfirmForm
from ..rendering import attach_error, htmx_redirect, page_or_fragment
from ..services import links as link_service
from ..services.access import Permission
from ..services.projects import get_project_or_404
from . import bp
from .forms import LinkForm
from .panels import panel_context


@bp.before_request
@login_required
def require_login():
    """Every link page needs a signed-in user."""


@bp.get("")
def index(project_id: str):
    project = get_project_or_404(project_id, current_user)
    return page_or_fragment(
        "links/index.html", "links/_panel.html", project=project, **panel_context(project)
    )


@bp.post("")
def create(project_id: str):
    project = get_project_or_404(project_id, current_user, Permission.EDIT)
    form = LinkForm()
    if form.validate_on_submit():
        try:
            link_service.create_link(
                current_user,
                project,
                form.target_url.data,
                form.keywords.data.split(","),
                form.anchor_text.data,
            )
            if not request.headers.get("HX-Request"):
                flash("Link opportunity added.", "success")
                return redirect(url_for("projects.show", project_id=project.id))
            return page_or_fragment(
                "links/index.html", "links/_panel.html", project=project, **panel_context(project)
            )
        except AppError as error:
            attach_error(form, error, "target_url")
    return page_or_fragment(
        "links/index.html",
        "links/_panel.html",
        status=400,
        project=project,
        **panel_context(project, form),
    )


@bp.route("/<link_id>/delete", methods=["GET", "POST"])
def delete(project_id: str, link_id: str):
    project = get_project_or_404(project_id, current_user, Permission.EDIT)
    link = link_service.get_link_or_404(link_id, current_user, project=project)
    form = ConfirmForm()
    if form.validate_on_submit():
        link_service.delete_link(link)
        flash("Link opportunity removed.", "success")
        return htmx_redirect("projects.show", project_id=project.id)
    return page_or_fragment(
        "links/delete.html", "links/delete.html", project=project, link=link, form=form
    )
