"""A workspace's activity page."""

from flask import Blueprint

bp = Blueprint("activity", __name__, url_prefix="/workspaces")

from . import routes
