"""Workspace pages: switch, create, settings (rename, delete) and members (role,
remove, leave, transfer)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..errors import AppError, Forbidden, NotFound
from ..forms import ConfirmForm
from ..rendering import attach_error, htmx_redirect
from ..services import workspaces as workspace_service
from ..services.access import Permission, require, role_in
from . import bp
from .current import switch_to
from .forms import MemberRoleForm, WorkspaceForm

MEMBERS_PER_PAGE = 50


@bp.before_request
@login_required
def require_login():
    """Every workspace page needs a signed-in user."""


@bp.post("/switch")
def switch():
    """Make another of the user's workspaces the current one (a plain form post)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    workspace = workspace_service.get_workspace_or_404(
        request.form.get("workspace_id", ""), current_user
    )
    switch_to(workspace)
    flash(f"Switched to “{workspace.name}”.", "success")
    return htmx_redirect("projects.index")


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = WorkspaceForm()
    if form.validate_on_submit():
        try:
            workspace = workspace_service.create_workspace(current_user, form.name.data)
        except AppError as error:
            attach_error(form, error, default_field="name")
        else:
            switch_to(workspace)
            flash(f"Workspace “{workspace.name}” created.", "success")
            return htmx_redirect("projects.index")
    return render_template("workspaces/new.html", form=form), 400 if form.errors else 200


@bp.route("/<workspace_id>/settings", methods=["GET", "POST"])
def settings(workspace_id: str):
    workspace = workspace_service.get_workspace_or_404(workspace_id, current_user)
    role = role_in(workspace.id, current_user)
    form = WorkspaceForm(obj=workspace)
    if request.method == "POST":
        require(role, Permission.MANAGE)
        if form.validate_on_submit():
            try:
                workspace_service.rename_workspace(workspace, current_user, form.name.data)
            except AppError as error:
                attach_error(form, error, default_field="name")
            else:
                flash("Workspace renamed.", "success")
                return htmx_redirect("workspaces.settings", workspace_id=workspace.id)
    return (
        render_template("workspaces/settings.html", workspace=workspace, role=role, form=form),
        400 if form.errors else 200,
    )


@bp.route("/<workspace_id>/delete", methods=["GET", "POST"])
def delete(workspace_id: str):
    workspace = workspace_service.get_workspace_or_404(workspace_id, current_user, Permission.OWN)
    form = ConfirmForm()
    if workspace.personal:
        flash("Your personal workspace cannot be deleted.", "error")
        return redirect(url_for("workspaces.settings", workspace_id=workspace.id))
    if form.validate_on_submit():
        name = workspace.name
        workspace_service.delete_workspace(workspace, current_user)
        flash(f"Workspace “{name}” and its projects were deleted.", "success")
        return htmx_redirect("projects.index")
    return render_template(
        "workspaces/delete.html",
        workspace=workspace,
        form=form,
        cancel_url=url_for("workspaces.settings", workspace_id=workspace.id),
    )


@bp.get("/<workspace_id>/members")
def members(workspace_id: str):
    workspace = workspace_service.get_workspace_or_404(workspace_id, current_user)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    memberships, total = workspace_service.list_members(
        workspace, MEMBERS_PER_PAGE, (page - 1) * MEMBERS_PER_PAGE
    )
    return render_template(
        "workspaces/members.html",
        workspace=workspace,
        role=role_in(workspace.id, current_user),
        memberships=memberships,
        total=total,
        page=page,
        pages=max(-(-total // MEMBERS_PER_PAGE), 1),
        role_form=MemberRoleForm(),
        form=ConfirmForm(),
    )


@bp.post("/<workspace_id>/members/<user_id>/role")
def change_role(workspace_id: str, user_id: str):
    workspace = workspace_service.get_workspace_or_404(
        workspace_id, current_user, Permission.MANAGE
    )
    form = MemberRoleForm()
    if not form.validate_on_submit():
        flash("Choose admin, editor, reviewer or viewer.", "error")
        return _back_to_members(workspace.id)
    with _flash_conflicts():
        membership = workspace_service.change_role(workspace, current_user, user_id, form.role.data)
        flash(f"{membership.user.name} is now {membership.role}.", "success")
    return _back_to_members(workspace.id)


@bp.route("/<workspace_id>/members/<user_id>/remove", methods=["GET", "POST"])
def remove(workspace_id: str, user_id: str):
    """Remove a member (admins and the owner), or leave (yourself): a confirm page, then
    the change."""
    leaving = user_id == current_user.id
    need = Permission.READ if leaving else Permission.MANAGE
    workspace = workspace_service.get_workspace_or_404(workspace_id, current_user, need)
    member = workspace_service.get_member_or_404(workspace, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with _flash_conflicts():
            workspace_service.remove_member(workspace, current_user, user_id)
            if leaving:
                flash(f"You left “{workspace.name}”.", "success")
                return htmx_redirect("projects.index")
            flash(f"{member.user.name} was removed from the workspace.", "success")
        return _back_to_members(workspace.id)
    return render_template(
        "workspaces/remove.html",
        workspace=workspace,
        member=member,
        leaving=leaving,
        form=form,
        cancel_url=url_for("workspaces.members", workspace_id=workspace.id),
    )


@bp.route("/<workspace_id>/transfer/<user_id>", methods=["GET", "POST"])
def transfer(workspace_id: str, user_id: str):
    workspace = workspace_service.get_workspace_or_404(workspace_id, current_user, Permission.OWN)
    member = workspace_service.get_member_or_404(workspace, user_id)
    if workspace.personal or member.user_id == current_user.id:
        flash("A personal workspace stays with its owner.", "error")
        return _back_to_members(workspace.id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with _flash_conflicts():
            workspace_service.transfer_ownership(workspace, current_user, user_id)
            flash(f"{member.user.name} now owns “{workspace.name}”; you are an admin.", "success")
        return _back_to_members(workspace.id)
    return render_template(
        "workspaces/transfer.html",
        workspace=workspace,
        member=member,
        form=form,
        cancel_url=url_for("workspaces.members", workspace_id=workspace.id),
    )


class _flash_conflicts:
    """Show a refused change (409 LAST_OWNER, 400, a member gone) as a message on the
    members page; a role too small or a workspace gone stay error pages."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if isinstance(error, AppError) and not isinstance(error, Forbidden):
            if isinstance(error, NotFound) and error.code != "MEMBER_NOT_FOUND":
                return False
            flash(error.message, "error")
            return True
        return False


def _back_to_members(workspace_id: str):
    return htmx_redirect("workspaces.members", workspace_id=workspace_id)
