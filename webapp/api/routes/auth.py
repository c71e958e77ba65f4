"""POST /auth/register, /auth/login, /auth/refresh."""
from __future__ import annotations

from flask import request
from flask_limiter.util import get_remote_address

from ...extensions import limiter
from ...services import accounts, tokens
from .. import bp
from ..endpoint import endpoint
from ..schemas.auth import (
    LoginRequest, LoginResponse, RefreshRequest, RegisteredUser, RegisterRequest, TokenPair,
)


def refresh_rate_key() -> str:
    """Refresh is limited per user: the subject of the presented token, else the address."""
    token = (request.get_json(silent=True) or {}).get("refresh_token")
    subject = tokens.refresh_subject(token) if isinstance(token, str) else None
    return f"user:{subject}" if subject else f"ip:{get_remote_address()}"


@bp.post("/auth/register")
@limiter.limit("3/minute", key_func=get_remote_address)
@endpoint("Create an account", tag="Authentication", auth=False, body=RegisterRequest,
          response=RegisteredUser, status=201, errors=(400, 409))
def register(body: RegisterRequest):
    return accounts.register_user(body.email, body.password, body.name)


@bp.post("/auth/login")
@limiter.limit("5/minute", key_func=get_remote_address)
@endpoint("Get an access and a refresh token", tag="Authentication", auth=False,
          body=LoginRequest, response=LoginResponse, errors=(400, 401), idempotent=False,
          description="Idempotency-Key is not honoured: tokens are never stored.")
def login(body: LoginRequest):
    user = accounts.authenticate(body.email, body.password)
    return {**tokens.issue_token_pair(user), "user": user}


@bp.post("/auth/refresh")
@limiter.limit("10/minute", key_func=refresh_rate_key)
@endpoint("Exchange a refresh token for a new pair (the old one stops working)",
          tag="Authentication", auth=False, body=RefreshRequest, response=TokenPair,
          errors=(400, 401), idempotent=False)
def refresh(body: RefreshRequest):
    return tokens.rotate_refresh_token(body.refresh_token)
