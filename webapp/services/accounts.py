"""Accounts: registration, sign-in, profile and password changes."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..errors import (
    Conflict,
    ErrorCode,
    Forbidden,
    Unauthorized,
    ValidationFailed,
    field_error,
)
from ..extensions import db
from ..models import User
from ..timeutil import utcnow
from ..vocabulary import PlanName, SignupMode
from . import email_verification, login_throttle, sessions, workspaces
from .passwords import (
    describe_password_problems,
    hash_password,
    password_problems,
    verify_password,
)

# Verifying against a real hash when the email is unknown keeps timing uniform.
_DUMMY_HASH = hash_password("timing-equaliser-Aa1!")


DISABLED_MESSAGE = "This account has been disabled. Contact your administrator."


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


class SignupClosed(Forbidden):
    code = ErrorCode.SIGNUP_CLOSED
    message = "Sign-up is closed on this installation; ask your administrator for an account."


class EmailNotVerified(Forbidden):
    code = ErrorCode.EMAIL_NOT_VERIFIED
    message = "Verify your email address first: open the link we emailed you, or ask for a new one."


INVITATION_NEEDED_MESSAGE = (
    "Sign-up on this installation is by invitation only: ask a workspace admin to invite "
    "your address, then open the link in the invitation."
)


def signup_open() -> bool:
    """Whether anybody may create their own account (SIGNUP_MODE=open)."""
    return current_app.config["SIGNUP_MODE"] == SignupMode.OPEN


def signup_by_invitation() -> bool:
    """Whether only invited addresses may sign up (SIGNUP_MODE=invite)."""
    return current_app.config["SIGNUP_MODE"] == SignupMode.INVITE


def ensure_signup_open() -> None:
    """SIGNUP_CLOSED (403) unless self-service sign-up is open to anybody."""
    if not signup_open():
        raise SignupClosed()


def ensure_signup_possible() -> None:
    """SIGNUP_CLOSED (403) when nobody may sign up (SIGNUP_MODE=closed): the sign-up
    form is shown under open and invite."""
    if not (signup_open() or signup_by_invitation()):
        raise SignupClosed()


def ensure_signup_allowed(email: str) -> None:
    """SIGNUP_CLOSED (403) unless `email` may sign up: anybody under SIGNUP_MODE=open, an
    address with a pending invitation under invite, nobody under closed."""
    ensure_signup_possible()
    if signup_by_invitation():
        from .invitations import has_pending_invitation

        if not has_pending_invitation(email):
            raise SignupClosed(INVITATION_NEEDED_MESSAGE)


def verification_required() -> bool:
    return bool(current_app.config["REQUIRE_EMAIL_VERIFICATION"])


def require_verified_email(user: User) -> None:
    """EMAIL_NOT_VERIFIED (403) when verification is required and `user` has not done it.

    Called by every service that spends model time or mails other people."""
    if verification_required() and not user.email_verified:
        raise EmailNotVerified()


def register_user(email: str, password: str, name: str) -> User:
    """Self-service sign-up (page and API): SIGNUP_CLOSED unless SIGNUP_MODE is open, or
    is invite and `email` has a pending invitation.

    With REQUIRE_EMAIL_VERIFICATION the account starts unverified and the worker mails it
    a link; without it, the account is stored as verified."""
    ensure_signup_allowed(email)
    must_verify = verification_required()
    user = create_account(email, password, name, verified=not must_verify)
    if must_verify:
        email_verification.send_verification_mail(user)
    return user


def create_account(
    email: str, password: str, name: str, *, plan: str | None = None, verified: bool = False
) -> User:
    """Create an account whatever SIGNUP_MODE says (the operator's path; sign-up goes
    through register_user). EMAIL_EXISTS when taken, VALIDATION_ERROR for a weak password."""
    email = normalise_email(email)
    ensure_strong_password(password)
    if find_user_by_email(email):
        raise Conflict("An account with this email already exists.", code=ErrorCode.EMAIL_EXISTS)
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        subscription_tier=plan or current_app.config["DEFAULT_PLAN"],
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    workspaces.add_personal_workspace(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("An account with this email already exists.", code=ErrorCode.EMAIL_EXISTS)
    return user


def authenticate(email: str, password: str) -> User:
    """The user with these credentials, or INVALID_CREDENTIALS; RATE_LIMIT_EXCEEDED after
    10 failures for this email (known or not) in 15 minutes, even with the right password."""
    with login_throttle.sign_in_attempt(normalise_email(email)):
        return _check_credentials(email, password)


def _check_credentials(email: str, password: str) -> User:
    user = find_user_by_email(email)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        raise Unauthorized("Invalid email or password.", code=ErrorCode.INVALID_CREDENTIALS)
    if not verify_password(user.password_hash, password):
        raise Unauthorized("Invalid email or password.", code=ErrorCode.INVALID_CREDENTIALS)
    if user.is_disabled:  # told only to whoever knows the password
        raise Forbidden(DISABLED_MESSAGE, code=ErrorCode.ACCOUNT_DISABLED)
    return user


def update_profile(user: User, name: str) -> User:
    """Change the display name."""
    user.name = name.strip()
    db.session.commit()
    return user


def ensure_current_password(user: User, password: str) -> None:
    """INVALID_CREDENTIALS unless `password` is the user's; RATE_LIMIT_EXCEEDED after 10
    wrong ones in 15 minutes, so a stolen session cannot be used to guess the password."""
    with login_throttle.password_check(user.id):
        if not verify_password(user.password_hash, password):
            raise ValidationFailed(
                "Current password is incorrect.",
                code=ErrorCode.INVALID_CREDENTIALS,
                status=400,
                errors=[field_error("current_password", "Current password is incorrect.")],
            )


def change_password(
    user: User, current_password: str, new_password: str, keep_session_key: str | None = None
) -> User:
    """Replace the password after checking the current one.

    Every other session, every refresh token and every access token issued so far stop
    working; the session `keep_session_key` names stays signed in. API keys keep working.
    """
    ensure_current_password(user, current_password)
    ensure_strong_password(new_password, field="new_password")
    user.password_hash = hash_password(new_password)
    sessions.sign_out_everywhere(user, keep_session_key=keep_session_key)
    return user


def set_plan(user: User, plan: str) -> User:
    """Move `user` to `plan` (a PlanName); limits apply from the next request."""
    user.subscription_tier = PlanName(plan)
    db.session.commit()
    return user


def disable_user(user: User) -> User:
    """Refuse the account everywhere at once: sign-in, every session, refresh and access
    token are ended, and its API keys are refused while it stays disabled (kept, so that
    enabling it again restores the integrations)."""
    user.disabled_at = user.disabled_at or utcnow()
    sessions.sign_out_everywhere(user)  # commits the flag with the revocations
    return user


def enable_user(user: User) -> User:
    """Let a disabled account sign in again (its old sessions and tokens stay ended)."""
    user.disabled_at = None
    db.session.commit()
    return user
