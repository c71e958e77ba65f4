"""Site-wide pages: the home page and the health check."""

from __future__ import annotations

from flask import jsonify, redirect, render_template, url_for
from flask_login import current_user

from ..services.health import health_report
from . import bp


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("projects.index"))
    return render_template("main/index.html")


@bp.get("/healthz")
def healthz():
    report, healthy = health_report()
    return jsonify(report), 200 if healthy else 503
