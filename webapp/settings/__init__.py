"""Profile, password and API keys."""

from flask import Blueprint

bp = Blueprint("settings", __name__, url_prefix="/settings")

from . import routes
