"""Accounts: registration, sign-in, profile and password changes."""
from __future__ import annotations

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..errors import Conflict, Unauthorized, ValidationFailed, field_error
from ..extensions import db
from ..models import User
from . import sessions
from .passwords import (
    describe_password_problems, hash_password, password_problems, verify_password,
)

# Verifying against a real hash when the email is unknown keeps timing uniform.
_DUMMY_HASH = hash_password("timing-equaliser-Aa1!")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(
        db.select(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


def get_user(user_id: str) -> User | None:
    return db.session.get(User, user_id)


def ensure_strong_password(password: str, field: str = "password") -> None:
    problems = password_problems(password)
    if problems:
        message = describe_password_problems(problems)
        raise ValidationFailed(message, errors=[field_error(field, message)])


def register_user(email: str, password: str, name: str) -> User:
    """Create an account on the configured default plan; EMAIL_EXISTS when taken."""
    email = normalise_email(email)
    ensure_strong_password(password)
    if find_user_by_email(email):
        raise Conflict("An account with this email already exists.", code="EMAIL_EXISTS")
    user = User(
        email=email, name=name.strip(), password_hash=hash_password(password),
        subscription_tier=current_app.config["DEFAULT_PLAN"],
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("An account with this email already exists.", code="EMAIL_EXISTS")
    return user


def authenticate(email: str, password: str) -> User:
    """The user with these credentials, or INVALID_CREDENTIALS."""
    user = find_user_by_email(email)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        raise Unauthorized("Invalid email or password.", code="INVALID_CREDENTIALS")
    if not verify_password(user.password_hash, password):
        raise Unauthorized("Invalid email or password.", code="INVALID_CREDENTIALS")
    return user


def update_profile(user: User, name: str) -> User:
    """Change the display name."""
    user.name = name.strip()
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str,
                    keep_session_key: str | None = None) -> User:
    """Replace the password after checking the current one.

    Every other session, every refresh token and every access token issued so far stop
    working; the session `keep_session_key` names stays signed in. API keys keep working.
    """
    if not verify_password(user.password_hash, current_password):
        raise ValidationFailed(
            "Current password is incorrect.", code="INVALID_CREDENTIALS",
            errors=[field_error("current_password", "Current password is incorrect.")],
        )
    ensure_strong_password(new_password, field="new_password")
    user.password_hash = hash_password(new_password)
    sessions.sign_out_everywhere(user, keep_session_key=keep_session_key)
    return user
