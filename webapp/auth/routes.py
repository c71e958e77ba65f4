"""Account pages."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import AppError
from ..extensions import limiter, login
from ..rendering import attach_error
from ..services import accounts
from . import bp
from .forms import LoginForm, SignupForm


@login.user_loader
def load_user(session_id: str):
    user_id, _, version = session_id.partition(":")
    user = accounts.get_user(user_id)
    if user is None or str(user.token_version) != version:
        return None
    return user


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
            login_user(user)
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
            login_user(user, remember=form.remember.data)
            return redirect(safe_next_url())
    status = 400 if form.errors or form.form_errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login_page"))
