"""A workspace's usage page."""

from flask import Blueprint

bp = Blueprint("usage", __name__)

from . import routes
