"""The job page: live progress of a generation and the draft as it is written."""

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

from . import routes
