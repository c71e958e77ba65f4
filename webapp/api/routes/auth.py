"""POST /auth/register, /auth/login, /auth/refresh, /auth/logout,
/auth/password-reset(/confirm), /auth/verify-email(/resend)."""

from __future__ import annotations

from flask import request
from flask_limiter.util import get_remote_address

from ...errors import ErrorCode
from ...extensions import limiter
from ...services import accounts, email_verification, password_reset, tokens
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal, rate_limit_key
from ..schemas.auth import (
    LoginRequest,
    LoginResponse,
    LogoutRequest,
    PasswordResetConfirm,
    PasswordResetRequest,
    RefreshRequest,
    RegisteredUser,
    RegisterRequest,
    TokenPair,
    VerifyEmailRequest,
)
from ..schemas.common import Message


def refresh_rate_key() -> str:
    """Refresh is limited per user: the subject of the presented token, else the address."""
    token = (request.get_json(silent=True) or {}).get("refresh_token")
    subject = tokens.refresh_subject(token) if isinstance(token, str) else None
    return f"user:{subject}" if subject else f"ip:{get_remote_address()}"


def reset_email_rate_key() -> str:
    """Password reset is limited per requested address (shared with the page), else per
    client address."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return password_reset.email_rate_key(email) or f"ip:{get_remote_address()}"


@bp.post("/auth/register")
@limiter.limit("3/minute", key_func=get_remote_address)
@endpoint(
    "Create an account",
    tag="Authentication",
    auth=False,
    body=RegisterRequest,
    response=RegisteredUser,
    status=201,
    errors=(ErrorCode.SIGNUP_CLOSED, ErrorCode.EMAIL_EXISTS),
    description="SIGNUP_CLOSED (403) when SIGNUP_MODE is closed, or is invite and the "
    "address has no pending invitation. With "
    "REQUIRE_EMAIL_VERIFICATION on, the account starts unverified and is "
    "mailed a verification link.",
)
def register(body: RegisterRequest):
    return accounts.register_user(body.email, body.password, body.name)


@bp.post("/auth/login")
@limiter.limit("5/minute", key_func=get_remote_address)
@endpoint(
    "Get an access and a refresh token",
    tag="Authentication",
    auth=False,
    body=LoginRequest,
    response=LoginResponse,
    idempotent=False,
    errors=(ErrorCode.INVALID_CREDENTIALS, ErrorCode.ACCOUNT_DISABLED),
    description="After 10 failed sign-ins for an email (whether or not it has an "
    "account) in 15 minutes, every sign-in for it is refused with 429 "
    "until the oldest failure is 15 minutes old. "
    "Idempotency-Key is not honoured: tokens are never stored.",
)
def login(body: LoginRequest):
    user = accounts.authenticate(body.email, body.password)
    return {**tokens.issue_token_pair(user), "user": user}


@bp.post("/auth/refresh")
@limiter.limit("10/minute", key_func=refresh_rate_key)
@endpoint(
    "Exchange a refresh token for a new pair (the old one stops working)",
    tag="Authentication",
    auth=False,
    body=RefreshRequest,
    response=TokenPair,
    errors=(ErrorCode.TOKEN_INVALID, ErrorCode.TOKEN_EXPIRED),
    idempotent=False,
    description="A refresh token works once. Presenting one that was already "
    "exchanged is 401 TOKEN_INVALID and revokes every token of its "
    "sign-in, the newer ones included: someone else holds a copy.",
)
def refresh(body: RefreshRequest):
    return tokens.rotate_refresh_token(body.refresh_token)


@bp.post("/auth/logout")
@limiter.limit("10/minute", key_func=refresh_rate_key)
@endpoint(
    "Sign out: revoke the refresh token and every token of its sign-in",
    tag="Authentication",
    auth=False,
    body=LogoutRequest,
    status=204,
    errors=(ErrorCode.TOKEN_INVALID, ErrorCode.TOKEN_EXPIRED),
    idempotent=False,
    description="Revokes the refresh token's family: every refresh token rotated from "
    "the same sign-in (an earlier, already rotated one names it too), and "
    "the access tokens issued with them. A token that is unknown or "
    "already revoked is 401 TOKEN_INVALID (an expired one TOKEN_EXPIRED), "
    "so that a client notices this call signed nothing out.",
)
def logout(body: LogoutRequest):
    tokens.log_out(body.refresh_token)


@bp.post("/auth/password-reset")
@limiter.limit("5/minute", key_func=get_remote_address)
@limiter.shared_limit("5/hour", scope="password-reset-email", key_func=reset_email_rate_key)
@endpoint(
    "Email a password reset link",
    tag="Authentication",
    auth=False,
    body=PasswordResetRequest,
    response=Message,
    status=202,
    description="Answers 202 whether or not an account has this address; only an "
    "existing account is mailed. The link works once, within an hour.",
)
def request_password_reset(body: PasswordResetRequest):
    password_reset.request_password_reset(body.email)
    return {"message": password_reset.REQUESTED_MESSAGE}


@bp.post("/auth/password-reset/confirm")
@limiter.limit("5/minute", key_func=get_remote_address)
@endpoint(
    "Set a new password with a reset token (every session and token is signed out)",
    tag="Authentication",
    auth=False,
    body=PasswordResetConfirm,
    response=Message,
    errors=(ErrorCode.INVALID_TOKEN,),
    idempotent=False,
    description="INVALID_TOKEN for a bad, expired or already used token. "
    "Idempotency-Key is not honoured: the body carries a password.",
)
def confirm_password_reset(body: PasswordResetConfirm):
    password_reset.reset_password(body.token, body.new_password)
    return {"message": "Password has been reset. Sign in with the new password."}


@bp.post("/auth/verify-email")
@limiter.limit("10/minute", key_func=get_remote_address)
@endpoint(
    "Verify the account's email address with the mailed token",
    tag="Authentication",
    auth=False,
    body=VerifyEmailRequest,
    response=Message,
    errors=(ErrorCode.INVALID_TOKEN,),
    idempotent=False,
    description="INVALID_TOKEN for a bad or expired token, one issued for another "
    "address, or one already used. Idempotency-Key is not honoured.",
)
def verify_email(body: VerifyEmailRequest):
    email_verification.verify_email(body.token)
    return {"message": email_verification.VERIFIED_MESSAGE}


@bp.post("/auth/verify-email/resend")
@limiter.shared_limit("3/hour", scope="verify-email-resend", key_func=rate_limit_key)
@endpoint(
    "Email a new verification link to the signed-in user",
    tag="Authentication",
    response=Message,
    status=202,
    errors=(ErrorCode.EMAIL_ALREADY_VERIFIED,),
    idempotent=False,
    description="At most 3 an hour per user. EMAIL_ALREADY_VERIFIED (409) when the "
    "address is verified already: nothing is sent.",
)
def resend_verification():
    email_verification.resend_verification(current_principal().user)
    return {"message": email_verification.RESENT_MESSAGE}
