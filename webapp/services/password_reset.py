"""Password reset: a signed link, mailed to the account's address, that works once within
an hour."""
from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

import jwt
from flask import current_app, request, url_for
from flask_limiter.util import get_remote_address

from ..errors import AppError
from ..extensions import db
from ..models import User
from ..timeutil import epoch, utcnow
from . import accounts, mail, sessions
from .passwords import hash_password

log = logging.getLogger(__name__)

ALGORITHM = "HS256"
TOKEN_TYPE = "password_reset"
TOKEN_TTL = timedelta(hours=1)
SUBJECT = "Reset your Copydesk password"
REQUESTED_MESSAGE = ("If an account exists for that address, we have emailed it a link to "
                     "reset the password. The link works once, within the hour.")


class InvalidResetToken(AppError):
    status = 400
    code = "INVALID_TOKEN"
    message = "This password reset link is invalid, has expired or was already used."


def request_password_reset(email: str) -> None:
    """Mail a reset link if an account has this address; do nothing otherwise.

    Callers answer the same in both cases, so that accounts cannot be discovered; for the
    same reason a mail failure is logged, not raised.
    """
    user = accounts.find_user_by_email(email)
    if user is None:
        return
    link = reset_link(issue_reset_token(user))
    try:
        mail.send_mail(user.email, SUBJECT, _reset_mail_text(user, link))
    except mail.MailError as exc:
        log.error("Password reset mail not sent: %s", exc)


def issue_reset_token(user: User, issued_at: datetime | None = None) -> str:
    """A signed token that resets `user`'s password for an hour from `issued_at` (now)."""
    issued_at = issued_at or utcnow()
    return jwt.encode({
        "sub": user.id, "type": TOKEN_TYPE, "pwd": password_fingerprint(user),
        "iat": epoch(issued_at), "exp": epoch(issued_at + TOKEN_TTL),
    }, current_app.config["SECRET_KEY"], algorithm=ALGORITHM)


def password_fingerprint(user: User) -> str:
    """A digest of the current password hash. Binding tokens to it makes them single-use:
    every password change re-salts the hash. The hash itself never leaves the database."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def user_for_reset_token(token: str) -> User:
    """The user a still-valid reset token belongs to, or INVALID_TOKEN."""
    try:
        claims = jwt.decode(token, current_app.config["SECRET_KEY"], algorithms=[ALGORITHM],
                            options={"require": ["exp", "sub", "type", "pwd"]})
    except jwt.PyJWTError:
        raise InvalidResetToken()
    user = db.session.get(User, str(claims["sub"])) if claims["type"] == TOKEN_TYPE else None
    if user is None or claims["pwd"] != password_fingerprint(user):
        raise InvalidResetToken()
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password with a reset token; every session, refresh token, access token
    and API key of the account is revoked (whoever knew the old password may hold them).

    INVALID_TOKEN for a forged, expired or used token; VALIDATION_ERROR for a weak password.
    """
    user = user_for_reset_token(token)
    accounts.ensure_strong_password(new_password, field="new_password")
    # Conditional on the hash the token was checked against: of two concurrent resets with
    # one token, only one wins.
    claimed = db.session.execute(
        db.update(User)
        .where(User.id == user.id, User.password_hash == user.password_hash)
        .values(password_hash=hash_password(new_password))
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise InvalidResetToken()
    sessions.sign_out_everywhere(user, revoke_api_keys=True)  # commits the new hash with it
    return user


def reset_link(token: str) -> str:
    """The absolute URL of the reset page for `token`.

    BASE_URL when configured: the Host header is the client's to choose, and a forged one
    would otherwise send the victim's link to the attacker's site.
    """
    base = current_app.config["BASE_URL"] or request.host_url
    return base.rstrip("/") + url_for("auth.reset_password", token=token)


def email_rate_key() -> str:
    """Rate-limit key naming the address a reset is requested for (JSON or form), so that
    nobody can flood one mailbox from many addresses; the client's address otherwise."""
    payload = request.get_json(silent=True) if request.is_json else request.form
    email = payload.get("email") if hasattr(payload, "get") else None
    if isinstance(email, str) and email.strip():
        return f"reset-email:{accounts.normalise_email(email)[:255]}"
    return f"ip:{get_remote_address()}"


def _reset_mail_text(user: User, link: str) -> str:
    return (
        f"Hello {user.name},\n\n"
        f"Someone asked to reset the password of the Copydesk account {user.email}.\n"
        "To choose a new password, open this link within the next hour:\n\n"
        f"{link}\n\n"
        "The link works once. If you did not ask for a new password, ignore this\n"
        "email: your password stays as it is.\n\n"
        "Copydesk\n"
    )
