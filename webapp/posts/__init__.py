"""Posts: the generation form and the post pages."""

from flask import Blueprint

bp = Blueprint("posts", __name__)

from . import comments, editor, exports, review, routes, suggestions
