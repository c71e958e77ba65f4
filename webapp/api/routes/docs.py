"""The API's own description: GET /api/v1/openapi.json for machines and GET /api/docs, the
HTML reference, for people."""

from __future__ import annotations

from flask import current_app, jsonify, render_template

from .. import bp, docs_bp
from ..openapi import build_openapi


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(build_openapi(current_app))


@docs_bp.get("/api/docs")
def reference():
    return render_template("api/docs.html", spec=build_openapi(current_app))
