"""Account pages."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import AppError
from ..extensions import limiter, login
from ..rendering import attach_error
from ..services import accounts, password_reset, sessions
from . import bp
from .forms import ForgotPasswordForm, LoginForm, ResetPasswordForm, SignupForm


@login.user_loader
def load_user(identifier: str):
    """The user of a live server-side session; a revoked session's cookies sign nobody in."""
    return sessions.user_for_session(identifier)


def sign_in(user, remember: bool = False) -> None:
    """Start a server-side session and hand its cookies to the browser."""
    sessions.start_session(user, request.user_agent.string, request.remote_addr)
    login_user(user, remember=remember)


def safe_next_url() -> str:
    """`next` when it stays on this site, the dashboard otherwise."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return url_for("projects.index")


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("projects.index"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_user(form.email.data, form.password.data, form.name.data)
        except AppError as error:
            attach_error(form, error, default_field="email")
        else:
            sign_in(user)
            flash(f"Welcome to Copydesk, {user.name}! Create your first project below.", "success")
            return redirect(url_for("projects.index"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("auth/signup.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def login_page():
    if current_user.is_authenticated:
        return redirect(url_for("projects.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except AppError as error:
            attach_error(form, error)
        else:
            sign_in(user, remember=form.remember.data)
            return redirect(safe_next_url())
    status = 400 if form.errors or form.form_errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    sessions.end_session(current_user)  # copies of the cookies stop working too
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login_page"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
@limiter.shared_limit("5/hour", scope="password-reset-email", methods=["POST"],
                      key_func=password_reset.email_rate_key)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        password_reset.request_password_reset(form.email.data)
        session["password_reset_email"] = form.email.data.strip()
        return redirect(url_for("auth.forgot_password_sent"))
    status = 400 if form.errors else 200
    return render_template("auth/forgot_password.html", form=form), status


@bp.get("/forgot-password/sent")
def forgot_password_sent():
    return render_template("auth/forgot_password_sent.html",
                           email=session.pop("password_reset_email", None))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def reset_password(token: str):
    form = ResetPasswordForm()
    try:
        password_reset.user_for_reset_token(token)
        if form.validate_on_submit():
            password_reset.reset_password(token, form.new_password.data)
            logout_user()  # whoever was signed in here, the reset signed them out
            flash("Your password has been reset. Sign in with your new password.", "success")
            return redirect(url_for("auth.login_page"))
    except password_reset.InvalidResetToken:
        return _private(render_template("auth/reset_password_invalid.html"), 400)
    except AppError as error:
        attach_error(form, error)
    status = 400 if form.errors or form.form_errors else 200
    return _private(render_template("auth/reset_password.html", form=form), status)


def _private(body: str, status: int):
    """The token is in this page's URL: keep it out of caches and Referer headers."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
