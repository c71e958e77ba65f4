"""Password reset: a signed link, mailed to the account's address, that works once within
an hour.

A request only stores "reset requested for <address>" in the mail outbox, the same work
whether or not an account has that address, so the answer's timing tells nothing. The
worker looks the account up, issues the token and writes the mail (`_compose_reset_mail`);
tokens and links are never stored."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from urllib.parse import quote

import jwt
from flask import current_app

from ..config import public_url
from ..errors import AppError, ErrorCode
from ..extensions import db
from ..models import OutboxMessage, User
from ..timeutil import epoch, utcnow
from . import accounts, login_throttle, mail, sessions
from .passwords import hash_password

ALGORITHM = "HS256"
TOKEN_TYPE = "password_reset"
TOKEN_TTL = timedelta(hours=1)
SUBJECT = "Reset your Copydesk password"
MAIL_KIND = "password_reset"
# The page a reset link opens (auth.reset_password); tests check that it routes there.
RESET_PAGE_PATH = "/reset-password/{token}"
REQUESTED_MESSAGE = (
    "If an account exists for that address, we have emailed it a link to "
    "reset the password. The link works once, within the hour."
)


class InvalidResetToken(AppError):
    code = ErrorCode.INVALID_TOKEN
    message = "This password reset link is invalid, has expired or was already used."


def request_password_reset(email: str) -> None:
    """Queue a reset mail for `email`; the worker sends it only if an account has this
    address, and drops it otherwise.

    Callers answer the same in both cases, so that accounts cannot be discovered; for the
    same reason this does the same work for both and never fails when the queue is down.
    """
    # Case folding can lengthen text; no account has an address past the column's 255.
    mail.queue_mail(MAIL_KIND, accounts.normalise_email(email)[:255], SUBJECT)


@mail.composer(MAIL_KIND)
def _compose_reset_mail(message: OutboxMessage) -> tuple[str, str, str] | None:
    """The reset mail for the account with the requested address, with a link issued now;
    None when no account has it."""
    user = accounts.find_user_by_email(message.recipient)
    if user is None:
        return None
    return user.email, SUBJECT, _reset_mail_text(user, reset_link(issue_reset_token(user)))


def issue_reset_token(user: User, issued_at: datetime | None = None) -> str:
    """A signed token that resets `user`'s password for an hour from `issued_at` (now)."""
    issued_at = issued_at or utcnow()
    return jwt.encode(
        {
            "sub": user.id,
            "type": TOKEN_TYPE,
            "pwd": password_fingerprint(user),
            "iat": epoch(issued_at),
            "exp": epoch(issued_at + TOKEN_TTL),
        },
        current_app.config["SECRET_KEY"],
        algorithm=ALGORITHM,
    )


def password_fingerprint(user: User) -> str:
    """A digest of the current password hash. Binding tokens to it makes them single-use:
    every password change re-salts the hash. The hash itself never leaves the database."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def user_for_reset_token(token: str) -> User:
    """The user a still-valid reset token belongs to, or INVALID_TOKEN."""
    try:
        claims = jwt.decode(
            token,
            current_app.config["SECRET_KEY"],
            algorithms=[ALGORITHM],
            options={"require": ["exp", "sub", "type", "pwd"]},
        )
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
    login_throttle.forget_failures(user.email, user.id)  # the owner may sign in at once
    return user


def reset_link(token: str) -> str:
    """The absolute URL of the reset page for `token`, under BASE_URL (never the Host
    header of a request: see config.public_url)."""
    return public_url(RESET_PAGE_PATH.format(token=quote(token, safe="")))


def email_rate_key(email: object) -> str | None:
    """Rate-limit key naming the address a reset is requested for (`email` as the client
    sent it, from a form or JSON), so that nobody can flood one mailbox from many
    addresses; None when there is no address to name. The page and the API share it."""
    if isinstance(email, str) and email.strip():
        return f"reset-email:{accounts.normalise_email(email)[:255]}"
    return None


def _reset_mail_text(user: User, link: str) -> str:
    return (
        f"Hello {user.name},\n\n"
        f"Someone asked to reset the password of the Copydesk account {user.email}.\n"
        "To choose a new password, open this link within the next hour:\n\n"
        f"{link}\n\n"
        "The link works once. Resetting your password signs you out everywhere and\n"
        "revokes your API keys.\n\n"
        "If you did not ask for a new password, ignore this email: your password\n"
        "stays as it is.\n\n"
        "Copydesk\n"
    )
