"""Workspace pages: the switcher, new workspace, settings, members and brand voices."""

from flask import Blueprint

bp = Blueprint("workspaces", __name__, url_prefix="/workspaces")

from . import current, routes, voices
