"""The dashboard (list), the new-project page (a dialog on the dashboard when JavaScript
runs) and a project's page (view, edit, delete)."""

from __future__ import annotations

from math import ceil

from flask import flash, request, url_for
from flask_login import current_user, login_required

from ..errors import AppError
from ..forms import ConfirmForm
from ..rendering import attach_error, htmx_redirect, page_or_fragment
from ..services import projects as project_service
from ..services.access import Permission, can
from ..workspaces.current import current_workspace_and_role
from . import bp
from .forms import ProjectEditForm, ProjectForm
from .panels import project_page_context

PER_PAGE = 12


def dashboard_context(form: ProjectForm | None = None) -> dict:
    """The current workspace's projects (a page of them) and the new-project form."""
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    workspace, role = current_workspace_and_role()
    projects, total = project_service.list_projects(
        current_user, limit=PER_PAGE, offset=(page - 1) * PER_PAGE, workspace_id=workspace.id
    )
    return {
        "workspace": workspace,
        "can_create": can(role, Permission.EDIT),
        "projects": projects,
        "total": total,
        "page": page,
        "counts": project_service.content_counts(projects),
        "pages": max(ceil(total / PER_PAGE), 1),
        "form": form or ProjectForm(),
    }


@bp.before_request
@login_required
def require_login():
    """Every project page needs a signed-in user."""


@bp.get("")
def index():
    return page_or_fragment("projects/index.html", "projects/_list.html", **dashboard_context())


def new_project_context(form: ProjectForm | None = None) -> dict:
    """The new-project page: its form, in the current workspace."""
    workspace, role = current_workspace_and_role()
    return {
        "workspace": workspace,
        "can_create": can(role, Permission.EDIT),
        "form": form or ProjectForm(),
    }


@bp.get("/new")
def new():
    return page_or_fragment(
        "projects/new.html", "projects/_create_form.html", **new_project_context()
    )


@bp.post("")
def create():
    form = ProjectForm()
    if not form.validate_on_submit():
        return page_or_fragment(
            "projects/new.html",
            "projects/_create_form.html",
            status=400,
            **new_project_context(form),
        )
    try:
        project = project_service.create_project(
            current_user,
            form.name.data,
            form.description.data,
            workspace_id=current_workspace_and_role()[0].id,
        )
    except AppError as error:  # a role too small to create projects here
        attach_error(form, error)
        return page_or_fragment(
            "projects/new.html",
            "projects/_create_form.html",
            status=error.status,
            **new_project_context(form),
        )
    flash(f"Project “{project.name}” created.", "success")
    return htmx_redirect("projects.show", project_id=project.id)


@bp.get("/<project_id>")
def show(project_id: str):
    project = project_service.get_project_or_404(project_id, current_user)
    return page_or_fragment(
        "projects/show.html", "projects/_details.html", **project_page_context(project)
    )


@bp.route("/<project_id>/edit", methods=["GET", "POST"])
def edit(project_id: str):
    project = project_service.get_project_or_404(project_id, current_user, Permission.EDIT)
    form = ProjectEditForm(obj=project)
    if form.validate_on_submit():
        project_service.update_project(
            project,
            name=form.name.data,
            description=form.description.data,
            approval_required=form.approval_required.data,
        )
        if request.headers.get("HX-Request"):
            return page_or_fragment("projects/show.html", "projects/_details.html", project=project)
        flash("Project saved.", "success")
        return htmx_redirect("projects.show", project_id=project.id)
    return page_or_fragment(
        "projects/edit.html",
        "projects/_edit_form.html",
        status=400 if form.errors else 200,
        project=project,
        form=form,
    )


@bp.route("/<project_id>/delete", methods=["GET", "POST"])
def delete(project_id: str):
    project = project_service.get_project_or_404(project_id, current_user, Permission.EDIT)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = project.name
        project_service.delete_project(project, current_user)
        flash(f"Project “{name}” and everything in it was deleted.", "success")
        return htmx_redirect("projects.index")
    return page_or_fragment(
        "projects/delete.html",
        "projects/delete.html",
        project=project,
        form=form,
        cancel_url=url_for("projects.show", project_id=project.id),
    )
