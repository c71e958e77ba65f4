"""JWT access and refresh tokens; refresh tokens rotate on every use."""
from __future__ import annotations

import secrets
from datetime import timedelta

import jwt
from flask import current_app

from ..errors import Unauthorized
from ..extensions import db
from ..models import RefreshToken, User
from ..timeutil import epoch, utcnow

ALGORITHM = "HS256"


def _encode(claims: dict) -> str:
    return jwt.encode(claims, current_app.config["SECRET_KEY"], algorithm=ALGORITHM)


def _decode(token: str, expected_type: str) -> dict:
    try:
        claims = jwt.decode(
            token, current_app.config["SECRET_KEY"], algorithms=[ALGORITHM],
            options={"require": ["exp", "sub", "type"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized("The token has expired.", code="TOKEN_EXPIRED")
    except jwt.PyJWTError:
        raise Unauthorized("The token is malformed or invalid.", code="TOKEN_INVALID")
    if claims.get("type") != expected_type:
        raise Unauthorized("The token is malformed or invalid.", code="TOKEN_INVALID")
    return claims


def _user_for_claims(claims: dict) -> User:
    user = db.session.get(User, str(claims["sub"]))
    if user is None or claims.get("ver") != user.token_version:
        raise Unauthorized("The token is no longer valid.", code="TOKEN_INVALID")
    return user


def issue_token_pair(user: User) -> dict:
    """A fresh access token (24 h) and refresh token (30 d) for `user`."""
    now = utcnow()
    access_ttl = current_app.config["ACCESS_TOKEN_TTL_SECONDS"]
    refresh_ttl = current_app.config["REFRESH_TOKEN_TTL_SECONDS"]
    access = _encode({
        "sub": user.id, "type": "access", "ver": user.token_version,
        "iat": epoch(now), "exp": epoch(now + timedelta(seconds=access_ttl)),
    })
    jti = secrets.token_hex(16)
    expires_at = now + timedelta(seconds=refresh_ttl)
    db.session.add(RefreshToken(id=jti, user_id=user.id, expires_at=expires_at))
    db.session.commit()
    refresh = _encode({
        "sub": user.id, "type": "refresh", "ver": user.token_version, "jti": jti,
        "iat": epoch(now), "exp": epoch(expires_at),
    })
    return {"access_token": access, "refresh_token": refresh, "token_type": "bearer",
            "expires_in": access_ttl}


def user_for_access_token(token: str) -> User:
    """The user an access token belongs to, or TOKEN_EXPIRED / TOKEN_INVALID."""
    return _user_for_claims(_decode(token, "access"))


def refresh_subject(token: str) -> str | None:
    """The user id a refresh token names, unverified; only for rate-limit keys."""
    try:
        return str(jwt.decode(token, options={"verify_signature": False}).get("sub"))
    except jwt.PyJWTError:
        return None


def rotate_refresh_token(token: str) -> dict:
    """Exchange a refresh token for a new pair; the old refresh token stops working."""
    claims = _decode(token, "refresh")
    user = _user_for_claims(claims)
    record = db.session.get(RefreshToken, str(claims.get("jti", "")))
    if record is None or record.user_id != user.id or record.used_at is not None:
        raise Unauthorized("The refresh token is no longer valid.", code="TOKEN_INVALID")
    # Conditional update: of two concurrent refreshes with one token, only one wins.
    claimed = db.session.execute(
        db.update(RefreshToken)
        .where(RefreshToken.id == record.id, RefreshToken.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount
    db.session.commit()
    if claimed != 1:
        raise Unauthorized("The refresh token is no longer valid.", code="TOKEN_INVALID")
    return issue_token_pair(user)
