"""The JSON API under /api/v1."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# The HTML reference at /api/docs: a page outside /api/v1, so without the JSON API's rate
# limit, JSON errors or CSRF exemption, but the API's own description all the same.
docs_bp = Blueprint("api_docs", __name__)

# Route modules attach their views to `bp` on import.
from .rate_limit import add_rate_limit_headers, check_rate_limit
from .routes import (
    activity,
    api_keys,
    auth,
    bulk,
    comments,
    docs,
    exports,
    invitations,
    job_downloads,
    jobs,
    links,
    posts,
    projects,
    review,
    revisions,
    share,
    sources,
    suggestions,
    users,
    voices,
    workflows,
    workspaces,
)

# Reference limits: 100/min and 1000/h per user (per address when anonymous), counted over
# all API routes together; the auth routes add stricter limits of their own (Flask-Limiter).
bp.before_request(check_rate_limit)
bp.after_request(add_rate_limit_headers)
