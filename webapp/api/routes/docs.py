"""GET /openapi.json: the machine-readable description of this API."""
from __future__ import annotations

from flask import current_app, jsonify

from .. import bp
from ..openapi import build_openapi


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(build_openapi(current_app))
