"""Account pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, make_response, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from markupsafe import Markup

from ..error_codes import ErrorCode
from ..errors import AppError
from ..extensions import limiter, login
from ..rendering import attach_error
from ..services import accounts, email_verification, login_throttle, password_reset, sessions
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


@bp.app_context_processor
def account_template_values() -> dict:
    """What every page's header and banner need to know about sign-up and verification."""
    return {
        "signup_open": accounts.signup_open(),
        "signup_by_invitation": accounts.signup_by_invitation(),
        "email_verification_pending": _verification_pending(),
    }


def _verification_pending() -> bool:
    return (
        current_user.is_authenticated
        and accounts.verification_required()
        and not current_user.email_verified
    )


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("projects.index"))
    try:
        accounts.ensure_signup_possible()
    except accounts.SignupClosed as closed:
        return render_template("auth/signup_closed.html", message=closed.message), closed.status
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_user(form.email.data, form.password.data, form.name.data)
        except accounts.SignupClosed as closed:  # SIGNUP_MODE=invite, an address not invited
            form.form_errors.append(closed.message)
            return render_template("auth/signup.html", form=form), closed.status
        except AppError as error:
            if error.code == ErrorCode.EMAIL_EXISTS:  # sign-up may say so (reference 004)
                form.email.errors = [*form.email.errors, existing_account_message(form.email.data)]
            else:
                attach_error(form, error, default_field="email")
        else:
            sign_in(user)
            flash(f"Welcome to Copydesk, {user.name}! Create your first project below.", "success")
            if not user.email_verified:
                flash(
                    f"We have emailed a link to {user.email}: open it to verify your "
                    "address before generating posts.",
                    "info",
                )
            return redirect(url_for("projects.index"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("auth/signup.html", form=form), status


def existing_account_message(email: str) -> Markup:
    """The sign-up error for a taken address: a way to sign in with it instead."""
    href = url_for("auth.login_page", email=email.strip())
    return Markup(
        'There’s already an account for that address. <a href="{}">Sign in instead?</a>'
    ).format(href)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def login_page():
    if current_user.is_authenticated:
        return redirect(url_for("projects.index"))
    form = LoginForm()
    if request.method == "GET" and request.args.get("email"):  # from sign-up's "Sign in instead?"
        form.email.data = request.args["email"][:255]
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except login_throttle.TooManyAttempts as error:
            attach_error(form, error)
            return (
                render_template("auth/login.html", form=form),
                error.status,
                {"Retry-After": str(error.retry_after)},
            )
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


def reset_email_rate_key() -> str:
    """The forgot-password form's limit per requested address (shared with the API)."""
    email = request.form.get("email")
    return password_reset.email_rate_key(email) or f"ip:{get_remote_address()}"


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
@limiter.shared_limit(
    "5/hour", scope="password-reset-email", methods=["POST"], key_func=reset_email_rate_key
)
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
    return render_template(
        "auth/forgot_password_sent.html", email=session.pop("password_reset_email", None)
    )


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


@bp.get("/verify-email/<token>")
@limiter.limit("10/minute")
def verify_email(token: str):
    """Open the mailed link: verify the address, signed in or not, and say how it went."""
    try:
        user = email_verification.verify_email(token)
    except email_verification.InvalidVerificationToken as invalid:
        return _private(
            render_template("auth/verify_email_invalid.html", message=invalid.message),
            invalid.status,
        )
    return _private(render_template("auth/verify_email_done.html", email=user.email), 200)


def resend_rate_key() -> str:
    """Per user, counted together with the API's resend (same scope, same key)."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"ip:{get_remote_address()}"


@bp.post("/verify-email/resend")
@login_required
@limiter.shared_limit("3/hour", scope="verify-email-resend", key_func=resend_rate_key)
def resend_verification():
    """The banner's "send a new link" button; back to the page it was pressed on."""
    try:
        email_verification.resend_verification(current_user)
    except AppError as error:
        flash(error.message, "info" if error.status == 409 else "error")
    else:
        flash(f"{email_verification.RESENT_MESSAGE} Check {current_user.email}.", "success")
    return redirect(safe_next_url())


def _private(body: str, status: int):
    """The token is in this page's URL: keep it out of caches and Referer headers."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
