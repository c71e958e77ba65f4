"""A project's sources: upload, URL import, live parse status, preview."""

from flask import Blueprint

bp = Blueprint("sources", __name__, url_prefix="/projects/<project_id>/sources")

from . import routes
