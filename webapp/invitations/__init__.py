"""Invitation pages: a workspace's invite form and pending invitations, and the page the
mailed link opens (accept, or sign in / sign up and join)."""

from flask import Blueprint

bp = Blueprint("invitations", __name__)

from . import routes
