"""Absolute links for mail, built from BASE_URL only.

Never from a request: its Host header is the client's to choose, and a forged one would
send the victim's link to the attacker's site. Mail is written by the worker anyway, which
has no request at all.
"""
from __future__ import annotations

from flask import current_app

# Where `make run` serves by default; used when BASE_URL is unset, which config.py allows
# only outside production or without MAIL_SERVER (nothing is mailed out then).
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def site_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` (a Flask endpoint name, e.g. "auth.reset_password")
    with `values`: BASE_URL, or DEFAULT_BASE_URL when it is unset, followed by the path."""
    base = current_app.config["BASE_URL"] or DEFAULT_BASE_URL
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base.rstrip("/") + path
