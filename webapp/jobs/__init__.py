"""The job page: live progress of a generation and the draft as it is written; the outline
checkpoint of a paused job."""

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

from . import checkpoint, routes
