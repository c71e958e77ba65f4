"""Sign up, sign in, sign out."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import routes
