"""The share page: a post for someone without an account, at /share/<token>."""

from flask import Blueprint

bp = Blueprint("share", __name__)

from . import routes
