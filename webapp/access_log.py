"""gunicorn's access log without secrets: the token of a password-reset link travels in
the URL path, and tokens are never logged (SPEC §7).

    gunicorn --logger-class webapp.access_log.RedactingLogger ...
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

SECRET_IN_PATH = re.compile(r"(/reset-password/)[^/?#\s\"]+")
SECRET_PATH_PREFIX = "/reset-password/"


def redact(value):
    """`value` with the secret parts of any URL path in it replaced."""
    # The substring test first: every atom of every request passes here, and almost none
    # holds a reset link.
    if isinstance(value, str) and SECRET_PATH_PREFIX in value:
        return SECRET_IN_PATH.sub(r"\1[redacted]", value)
    return value


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {name: redact(value) for name, value in atoms.items()}
