"""Settings pages: profile, password, sessions, API keys, deleting the account."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user

from ..errors import AppError
from ..forms import ConfirmForm
from ..rendering import attach_error, htmx_redirect, page_or_fragment
from ..services import account_deletion, accounts, login_throttle, sessions
from ..services import api_keys as key_service
from ..services.review import notifications
from . import bp
from .forms import ApiKeyForm, DeleteAccountForm, NotificationsForm, PasswordForm, ProfileForm


@bp.before_request
@login_required
def require_login():
    """Every settings page needs a signed-in user."""


@bp.get("")
def index():
    return redirect(url_for("settings.profile"))


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        accounts.update_profile(current_user, form.name.data)
        flash("Profile saved.", "success")
        return redirect(url_for("settings.profile"))
    return render_template("settings/profile.html", form=form), 400 if form.errors else 200


@bp.route("/notifications", methods=["GET", "POST"])
def notifications_page():
    form = NotificationsForm(obj=current_user)
    if form.validate_on_submit():
        notifications.set_preferences(
            current_user, review=form.notify_review.data, mentions=form.notify_mentions.data
        )
        flash("Notification settings saved.", "success")
        return redirect(url_for("settings.notifications_page"))
    return render_template("settings/notifications.html", form=form), 400 if form.errors else 200


@bp.route("/password", methods=["GET", "POST"])
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                current_user,
                form.current_password.data,
                form.new_password.data,
                keep_session_key=current_user.session_key,
            )
        except login_throttle.TooManyAttempts as error:
            attach_error(form, error, default_field="current_password")
            return (
                render_template("settings/password.html", form=form),
                error.status,
                {"Retry-After": str(error.retry_after)},
            )
        except AppError as error:
            attach_error(form, error)
        else:
            flash(
                "Password changed. Your other sessions and API tokens were signed out.", "success"
            )
            return redirect(url_for("settings.password"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("settings/password.html", form=form), status


@bp.get("/sessions")
def sessions_page():
    return render_template(
        "settings/sessions.html",
        sessions=sessions.active_sessions(current_user),
        current_id=sessions.current_session_id(current_user),
    )


@bp.route("/sign-out-everywhere", methods=["GET", "POST"])
def sign_out_everywhere():
    form = ConfirmForm()
    if form.validate_on_submit():
        sessions.sign_out_everywhere(current_user)
        logout_user()
        flash(
            "You are signed out everywhere: every browser and app, this one included, "
            "must sign in again. API keys keep working.",
            "success",
        )
        return htmx_redirect("auth.login_page")
    return render_template("settings/sign_out_everywhere.html", form=form)


def api_keys_context(form=None, new_key=None, secret=None) -> dict:
    # formdata=None: after a successful POST the form starts empty again.
    return {
        "keys": key_service.active_keys(current_user),
        "form": form or ApiKeyForm(formdata=None),
        "new_key": new_key,
        "secret": secret,
        "limit": key_service.MAX_ACTIVE_KEYS,
    }


@bp.get("/api-keys")
def api_keys():
    return page_or_fragment(
        "settings/api_keys.html", "settings/_api_keys.html", **api_keys_context()
    )


@bp.post("/api-keys")
def create_api_key():
    form = ApiKeyForm()
    new_key = secret = None
    if form.validate_on_submit():
        try:
            new_key, secret = key_service.create_api_key(
                current_user, form.name.data, form.mode.data
            )
            form = None
        except AppError as error:
            attach_error(form, error, default_field="name")
    failed = form is not None and (form.errors or form.form_errors)
    return page_or_fragment(
        "settings/api_keys.html",
        "settings/_api_keys.html",
        status=400 if failed else 200,
        **api_keys_context(form, new_key, secret),
    )


@bp.route("/api-keys/<key_id>/revoke", methods=["GET", "POST"])
def revoke_api_key(key_id: str):
    key = key_service.get_api_key_or_404(key_id, current_user)
    form = ConfirmForm()
    if form.validate_on_submit():
        key_service.revoke_api_key(key)
        flash(
            f"API key “{key.name}” revoked. Requests using it are refused from now on.", "success"
        )
        return htmx_redirect("settings.api_keys")
    return render_template("settings/revoke_key.html", key=key, form=form)


DELETE_ACCOUNT = "settings/delete_account.html"


@bp.route("/delete-account", methods=["GET", "POST"])
def delete_account():
    """Delete the account, confirmed with the password; refused (with the workspaces to
    hand on first) while the user owns a workspace other people share."""
    user = current_user._get_current_object()
    form = DeleteAccountForm()
    shared = account_deletion.shared_workspaces_owned_by(user)
    status = 409 if shared and request.method == "POST" else 200
    if not shared and form.validate_on_submit():
        try:
            account_deletion.delete_account(user, form.password.data)
        except account_deletion.TransferOwnershipFirst:  # shared since the page was read
            shared, status = account_deletion.shared_workspaces_owned_by(user), 409
        except login_throttle.TooManyAttempts as error:
            attach_error(form, error, default_field="password")
            return (
                render_template(DELETE_ACCOUNT, form=form, shared=[], transfer_message=""),
                error.status,
                {"Retry-After": str(error.retry_after)},
            )
        except AppError as error:
            attach_error(form, error, default_field="password")
        else:
            logout_user()
            flash("Your account and everything in your own workspaces were deleted.", "success")
            return htmx_redirect("auth.login_page")
    if form.errors or form.form_errors:
        status = 400
    return (
        render_template(
            DELETE_ACCOUNT,
            form=form,
            shared=shared,
            transfer_message=account_deletion.TransferOwnershipFirst.message,
        ),
        status,
    )
