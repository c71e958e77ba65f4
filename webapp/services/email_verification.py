"""Email verification: a signed link, mailed to the account's address, that proves the
owner reads it. It works once, for 48 hours, and only for the address it was sent to."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

import jwt
from flask import current_app

from ..errors import AppError, Conflict, ServiceUnavailable
from ..extensions import db
from ..models import User
from ..timeutil import epoch, utcnow
from . import mail

log = logging.getLogger(__name__)

ALGORITHM = "HS256"
TOKEN_TYPE = "email_verification"
TOKEN_TTL = timedelta(hours=48)
SUBJECT = "Confirm your Copydesk email address"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
VERIFIED_MESSAGE = "Your email address is verified."
RESENT_MESSAGE = "We have emailed you a new verification link. It works once, within 48 hours."


class InvalidVerificationToken(AppError):
    status = 400
    code = "INVALID_TOKEN"
    message = "This verification link is invalid, has expired or was already used."


def issue_verification_token(user: User, issued_at: datetime | None = None) -> str:
    """A signed token that verifies `user`'s current address for 48 hours from `issued_at`."""
    issued_at = issued_at or utcnow()
    return jwt.encode({
        "sub": user.id, "type": TOKEN_TYPE, "email": user.email,
        "iat": epoch(issued_at), "exp": epoch(issued_at + TOKEN_TTL),
    }, current_app.config["SECRET_KEY"], algorithm=ALGORITHM)


def verify_email(token: str) -> User:
    """Mark the address the token was issued for as verified.

    INVALID_TOKEN for a forged or expired token, one for another address than the
    account's current one, and one already used (the account is verified by then)."""
    try:
        claims = jwt.decode(token, current_app.config["SECRET_KEY"], algorithms=[ALGORITHM],
                            options={"require": ["exp", "sub", "type", "email"]})
    except jwt.PyJWTError:
        raise InvalidVerificationToken()
    if claims["type"] != TOKEN_TYPE:
        raise InvalidVerificationToken()
    # Conditional on the row still being unverified with this address: of two uses of one
    # token, concurrent or not, only the first wins.
    claimed = db.session.execute(
        db.update(User)
        .where(User.id == str(claims["sub"]), User.email == claims["email"],
               User.email_verified_at.is_(None))
        .values(email_verified_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if claimed != 1:
        raise InvalidVerificationToken()
    return db.session.get(User, str(claims["sub"]))


def send_verification_mail(user: User) -> None:
    """Mail `user` a fresh verification link; MailError when it cannot be sent."""
    link = verification_link(issue_verification_token(user))
    mail.send_mail(user.email, SUBJECT, _verification_mail_text(user, link))


def resend_verification(user: User) -> None:
    """Mail a new link to a user who is not verified yet.

    EMAIL_ALREADY_VERIFIED (409) when there is nothing to verify; SERVICE_UNAVAILABLE
    when the mail cannot be sent, so that the user knows to try again."""
    if user.email_verified:
        raise Conflict("Your email address is already verified.",
                       code="EMAIL_ALREADY_VERIFIED")
    try:
        send_verification_mail(user)
    except mail.MailError as exc:
        log.error("Verification mail not sent: %s", exc)
        raise ServiceUnavailable("The verification email could not be sent; try again "
                                 "in a few minutes.") from exc


def verification_link(token: str) -> str:
    """The absolute URL of the verification page for `token`.

    From BASE_URL only, never from a request: the Host header is the client's to choose.
    Built without a request, so the operator's command line can mail links too."""
    base = current_app.config.get("BASE_URL") or DEFAULT_BASE_URL
    path = current_app.url_map.bind("localhost").build("auth.verify_email", {"token": token})
    return base.rstrip("/") + path


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
