"""Invitation pages."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..auth.routes import sign_in
from ..errors import AppError, NotFound
from ..extensions import limiter
from ..forms import ConfirmForm
from ..services import accounts
from ..services import invitations as invitation_service
from ..services.access import Permission
from ..services.workspaces import get_workspace_or_404
from . import bp
from .forms import InvitedSignupForm, InviteForm

PAGE_SIZE = 50


def mail_rate_key() -> str:
    """Per user, counted with the API's invitations and resends (same scope, same key)."""
    return f"user:{current_user.id}"


def _mail_limit(methods=None):
    return limiter.shared_limit(
        invitation_service.MAIL_RATE_LIMIT,
        scope=invitation_service.MAIL_RATE_SCOPE,
        key_func=mail_rate_key,
        methods=methods,
    )


def _workspace_page(workspace, form, status: int = 200):
    invitations, total = invitation_service.list_pending(workspace, PAGE_SIZE, 0)
    return (
        render_template(
            "invitations/index.html",
            workspace=workspace,
            form=form,
            invitations=invitations,
            total=total,
            limit=invitation_service.MAX_PENDING,
        ),
        status,
    )


@bp.route("/workspaces/<workspace_id>/invitations", methods=["GET", "POST"])
@login_required
@_mail_limit(methods=["POST"])
def index(workspace_id: str):
    """The invite form and the pending invitations (admins and the owner)."""
    workspace = get_workspace_or_404(workspace_id, current_user, Permission.MANAGE)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation = invitation_service.invite(
                workspace, current_user, form.email.data, form.role.data
            )
        except AppError as error:
            _attach(form, error)
            return _workspace_page(workspace, form, error.status)
        flash(f"Invitation sent to {invitation.email} as {invitation.role}.", "success")
        return redirect(url_for("invitations.index", workspace_id=workspace.id))
    return _workspace_page(workspace, form, 400 if form.errors else 200)


def _attach(form: InviteForm, error: AppError) -> None:
    messages = error.field_messages() if hasattr(error, "field_messages") else {}
    if messages:
        for name, message in messages.items():
            field = getattr(form, name, None)
            if field is not None:
                field.errors = [*field.errors, message]
            else:
                form.form_errors.append(message)
    else:
        form.email.errors = [*form.email.errors, error.message]


def _managed_invitation(workspace_id: str, invitation_id: str):
    invitation = invitation_service.get_invitation_or_404(invitation_id, current_user)
    if invitation.workspace_id != workspace_id:
        raise NotFound(**invitation_service.NOT_FOUND)
    return invitation


@bp.post("/workspaces/<workspace_id>/invitations/<invitation_id>/resend")
@login_required
@_mail_limit()
def resend(workspace_id: str, invitation_id: str):
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("invitations.index", workspace_id=workspace_id))
    invitation = _managed_invitation(workspace_id, invitation_id)
    try:
        invitation_service.resend(invitation, current_user)
    except AppError as error:
        flash(error.message, "error")
    else:
        flash(f"A new invitation link is on its way to {invitation.email}.", "success")
    return redirect(url_for("invitations.index", workspace_id=workspace_id))


@bp.post("/workspaces/<workspace_id>/invitations/<invitation_id>/revoke")
@login_required
def revoke(workspace_id: str, invitation_id: str):
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("invitations.index", workspace_id=workspace_id))
    invitation = _managed_invitation(workspace_id, invitation_id)
    try:
        invitation_service.revoke(invitation)
    except AppError as error:
        flash(error.message, "error")
    else:
        flash(f"The invitation of {invitation.email} is revoked.", "success")
    return redirect(url_for("invitations.index", workspace_id=workspace_id))


def _private(body: str, status: int):
    """The token is in this page's URL: keep it out of caches and Referer headers."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _no_longer_valid():
    return _private(render_template("invitations/invalid.html"), 410)


def _invitation_page(token: str, invitation, signup_form=None, status: int = 200):
    """What the link shows: the workspace, inviter and role, and the way to join for who
    is looking (signed in with the address, with another one, or not signed in)."""
    signed_in = current_user.is_authenticated
    has_account = signed_in or accounts.find_user_by_email(invitation.email) is not None
    signup_closed = False
    try:
        accounts.ensure_signup_possible()
    except accounts.SignupClosed:
        signup_closed = True
    return _private(
        render_template(
            "invitations/open.html",
            token=token,
            invitation=invitation,
            workspace=invitation.workspace,
            inviter=invitation.inviter,
            matches=signed_in and invitation_service.email_matches(invitation, current_user),
            has_account=has_account,
            signup_closed=signup_closed,
            signup_form=signup_form or InvitedSignupForm(),
            login_url=url_for(
                "auth.login_page", next=url_for("invitations.open_invitation", token=token)
            ),
            accept_form=ConfirmForm(),
        ),
        status,
    )


@bp.get("/invitations/<token>")
@limiter.limit("30/minute")
def open_invitation(token: str):
    try:
        invitation = invitation_service.find_by_token(token)
    except invitation_service.InvitationExpired:
        return _no_longer_valid()
    return _invitation_page(token, invitation)


@bp.post("/invitations/<token>/accept")
@limiter.limit("10/minute")
@login_required
def accept(token: str):
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("invitations.open_invitation", token=token))
    try:
        membership = invitation_service.accept(token, current_user)
    except invitation_service.InvitationExpired:
        return _no_longer_valid()
    except invitation_service.InvitationEmailMismatch as mismatch:
        return _invitation_page(
            token, invitation_service.find_by_token(token), status=mismatch.status
        )
    return _joined(membership)


@bp.post("/invitations/<token>/signup")
@limiter.limit("10/minute")
def signup(token: str):
    """Create the account with the invited address, sign in and join, in one step."""
    if current_user.is_authenticated:
        return redirect(url_for("invitations.open_invitation", token=token))
    try:
        invitation = invitation_service.find_by_token(token)
    except invitation_service.InvitationExpired:
        return _no_longer_valid()
    form = InvitedSignupForm()
    if not form.validate_on_submit():
        return _invitation_page(token, invitation, form, 400)
    try:
        user, membership = invitation_service.sign_up_and_accept(
            token, form.name.data, form.password.data
        )
    except invitation_service.InvitationExpired:
        return _no_longer_valid()
    except AppError as error:
        if isinstance(error, accounts.SignupClosed):
            form.form_errors.append(error.message)
        else:
            _attach_signup(form, error)
        return _invitation_page(token, invitation, form, error.status)
    sign_in(user)
    return _joined(membership)


def _attach_signup(form: InvitedSignupForm, error: AppError) -> None:
    messages = error.field_messages() if hasattr(error, "field_messages") else {}
    placed = False
    for name, message in messages.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message]
            placed = True
    if not placed:
        form.form_errors.append(error.message)


def _joined(membership):
    workspace = membership.workspace
    flash(f"You joined {workspace.name} as {membership.role}.", "success")
    return redirect(url_for("projects.index"))
