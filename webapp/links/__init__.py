"""Link opportunities of a project: the URLs generated posts link to."""

from flask import Blueprint

bp = Blueprint("links", __name__, url_prefix="/projects/<project_id>/links")

from . import routes
