"""Email verification: a signed link, mailed to the account's address, that proves the
owner reads it. It works once, for 48 hours, and only for the address it was sent to."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from urllib.parse import quote

import jwt
from flask import current_app

from ..config import public_url
from ..errors import AppError, Conflict, ErrorCode
from ..extensions import db
from ..models import OutboxMessage, User
from ..timeutil import epoch, utcnow
from . import mail

log = logging.getLogger(__name__)

ALGORITHM = "HS256"
TOKEN_TYPE = "email_verification"
TOKEN_TTL = timedelta(hours=48)
SUBJECT = "Confirm your Copydesk email address"
MAIL_KIND = "email_verification"
# The page a verification link opens (auth.verify_email); tests check that it routes there.
VERIFY_PAGE_PATH = "/verify-email/{token}"
VERIFIED_MESSAGE = "Your email address is verified."
RESENT_MESSAGE = "We have emailed you a new verification link. It works once, within 48 hours."


class InvalidVerificationToken(AppError):
    code = ErrorCode.INVALID_TOKEN
    message = "This verification link is invalid, has expired or was already used."


def issue_verification_token(user: User, issued_at: datetime | None = None) -> str:
    """A signed token that verifies `user`'s current address for 48 hours from `issued_at`."""
    issued_at = issued_at or utcnow()
    return jwt.encode(
        {
            "sub": user.id,
            "type": TOKEN_TYPE,
            "email": user.email,
            "iat": epoch(issued_at),
            "exp": epoch(issued_at + TOKEN_TTL),
        },
        current_app.config["SECRET_KEY"],
        algorithm=ALGORITHM,
    )


def verify_email(token: str) -> User:
    """Mark the address the token was issued for as verified.

    INVALID_TOKEN for a forged or expired token, one for another address than the
    account's current one, and one already used (the account is verified by then)."""
    try:
        claims = jwt.decode(
            token,
            current_app.config["SECRET_KEY"],
            algorithms=[ALGORITHM],
            options={"require": ["exp", "sub", "type", "email"]},
        )
    except jwt.PyJWTError:
        raise InvalidVerificationToken()
    if claims["type"] != TOKEN_TYPE:
        raise InvalidVerificationToken()
    # Conditional on the row still being unverified with this address: of two uses of one
    # token, concurrent or not, only the first wins.
    claimed = db.session.execute(
        db.update(User)
        .where(
            User.id == str(claims["sub"]),
            User.email == claims["email"],
            User.email_verified_at.is_(None),
        )
        .values(email_verified_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if claimed != 1:
        raise InvalidVerificationToken()
    return db.session.get(User, str(claims["sub"]))


def send_verification_mail(user: User) -> None:
    """Queue a verification mail for `user`; the worker writes it, with a link issued at
    send time (no token is stored), unless the address was verified by then."""
    mail.queue_mail(MAIL_KIND, user.email, SUBJECT)


@mail.composer(MAIL_KIND)
def _compose_verification_mail(message: OutboxMessage) -> tuple[str, str, str] | None:
    user = db.session.execute(
        db.select(User).where(User.email == message.recipient)
    ).scalar_one_or_none()
    if user is None or user.email_verified:
        return None
    link = verification_link(issue_verification_token(user))
    return user.email, SUBJECT, _verification_mail_text(user, link)


def verification_link(token: str) -> str:
    """The absolute URL of the verification page for `token`, under BASE_URL."""
    return public_url(VERIFY_PAGE_PATH.format(token=quote(token, safe="")))


def resend_verification(user: User) -> None:
    """Mail a new link to a user who is not verified yet; EMAIL_ALREADY_VERIFIED (409)
    when there is nothing to verify."""
    if user.email_verified:
        raise Conflict(
            "Your email address is already verified.", code=ErrorCode.EMAIL_ALREADY_VERIFIED
        )
    send_verification_mail(user)


def _verification_mail_text(user: User, link: str) -> str:
    return (
        f"Hello {user.name},\n\n"
        f"Please confirm that {user.email} is your address by opening this link\n"
        "within the next 48 hours:\n\n"
        f"{link}\n\n"
        "Until you do, Copydesk lets you read, upload sources and import pages, but not\n"
        "generate posts. If you did not create a Copydesk account, ignore this email.\n\n"
        "Copydesk\n"
    )
