"""The JSON API under /api/v1."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Route modules attach their views to `bp` on import.
from .routes import (api_keys, auth, docs, jobs, links, posts, projects,  # noqa: E402,F401
                     sources, users)

from ..extensions import limiter  # noqa: E402
from .principal import rate_limit_key  # noqa: E402

# Reference limits: 100/min and 1000/h per user (per address when anonymous), counted over
# all API routes together (a plain `limit` would give every route a budget of its own).
limiter.shared_limit("100/minute;1000/hour", scope="api", key_func=rate_limit_key)(bp)
