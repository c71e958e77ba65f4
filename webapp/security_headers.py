"""Security headers on every response: pages, API answers, static files and error pages.

The Content-Security-Policy allows scripts and styles from this origin only: no inline
script, no inline style, no eval (so no htmx `hx-on` attributes; behaviour lives in
static/js/app.js), and no framing by any site. A header a view set itself wins (the reset
page's stricter `Referrer-Policy: no-referrer`).
"""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}

# Sent only over HTTPS (a browser ignores it over HTTP, and it must never pin a plain-HTTP
# localhost install). Behind a proxy, the scheme comes from X-Forwarded-Proto only when the
# proxy is trusted (gunicorn's --forwarded-allow-ips).
HSTS = "max-age=31536000; includeSubDomains"


_BY_LOWER_NAME = tuple((name.lower(), name, value) for name, value in SECURITY_HEADERS.items())


def add_security_headers(response: Response) -> Response:
    # One pass over the response's headers, not a `setdefault` (a scan) per header: this
    # runs on every response.
    headers = response.headers
    present = {name.lower() for name, _ in headers.items()}
    for lower_name, name, value in _BY_LOWER_NAME:
        if lower_name not in present:
            headers.add(name, value)
    if request.is_secure and "strict-transport-security" not in present:
        headers.add("Strict-Transport-Security", HSTS)
    return response


def register_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
