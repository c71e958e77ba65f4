"""JWT access and refresh tokens; refresh tokens rotate on every use."""

from __future__ import annotations

import secrets
from datetime import timedelta

import jwt
from flask import current_app

from ..errors import ErrorCode, Unauthorized
from ..extensions import db
from ..models import RefreshToken, User
from ..timeutil import epoch, utcnow
from .signed_claims import ALGORITHM, verified_own_claims


def _encode(claims: dict) -> str:
    return jwt.encode(claims, current_app.config["SECRET_KEY"], algorithm=ALGORITHM)


def _decode(token: str, expected_type: str) -> dict:
    secret = current_app.config["SECRET_KEY"]
    claims = verified_own_claims(token, secret)  # our own live tokens, fast
    if claims is None:
        claims = _decode_with_pyjwt(token, secret)  # everything else, and every refusal
    if claims.get("type") != expected_type:
        raise Unauthorized("The token is malformed or invalid.", code=ErrorCode.TOKEN_INVALID)
    return claims


def _decode_with_pyjwt(token: str, secret: str) -> dict:
    try:
        return jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "type"]}
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized("The token has expired.", code=ErrorCode.TOKEN_EXPIRED)
    except jwt.PyJWTError:
        raise Unauthorized("The token is malformed or invalid.", code=ErrorCode.TOKEN_INVALID)


def _user_for_claims(claims: dict, *conditions) -> User:
    """The token's user while its version is current and `conditions` hold; TOKEN_INVALID
    otherwise."""
    user = db.session.execute(
        db.select(User).where(
            User.id == str(claims["sub"]), User.disabled_at.is_(None), *conditions
        )
    ).scalar_one_or_none()
    if user is None or claims.get("ver") != user.token_version:
        raise Unauthorized("The token is no longer valid.", code=ErrorCode.TOKEN_INVALID)
    return user


def _refresh_token_invalid() -> Unauthorized:
    return Unauthorized("The refresh token is no longer valid.", code=ErrorCode.TOKEN_INVALID)


def issue_token_pair(user: User, family_id: str | None = None) -> dict:
    """A fresh access token (24 h) and refresh token (30 d) for `user`.

    A sign-in starts a new family; a rotation passes the family of the token it replaces.
    """
    now = utcnow()
    family_id = family_id or secrets.token_hex(16)
    access_ttl = current_app.config["ACCESS_TOKEN_TTL_SECONDS"]
    refresh_ttl = current_app.config["REFRESH_TOKEN_TTL_SECONDS"]
    access = _encode(
        {
            "sub": user.id,
            "type": "access",
            "ver": user.token_version,
            "fam": family_id,
            "iat": epoch(now),
            "exp": epoch(now + timedelta(seconds=access_ttl)),
        }
    )
    jti = secrets.token_hex(16)
    expires_at = now + timedelta(seconds=refresh_ttl)
    db.session.add(
        RefreshToken(id=jti, user_id=user.id, family_id=family_id, expires_at=expires_at)
    )
    db.session.commit()
    refresh = _encode(
        {
            "sub": user.id,
            "type": "refresh",
            "ver": user.token_version,
            "jti": jti,
            "iat": epoch(now),
            "exp": epoch(expires_at),
        }
    )
    return {
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "bearer",
        "expires_in": access_ttl,
    }


def user_id_for_access_token(token: str) -> str:
    """The id of the user an access token belongs to, or TOKEN_EXPIRED / TOKEN_INVALID.

    The token dies with its sign-in: once its refresh token family is revoked (logout,
    replay), or the user's token version moves on (password, sign out everywhere). Both
    are checked in the database on every call (one Core query, no ORM object), so a
    revocation is honoured by the very next request.
    """
    claims = _decode(token, "access")
    params = {"user_id": str(claims["sub"]), "version": claims.get("ver")}
    statement = _LIVE_TOKEN_USER
    if claims.get("fam"):  # tokens issued before families existed have none
        statement, params["family"] = _LIVE_SIGN_IN_USER, str(claims["fam"])
    if (
        not isinstance(params["version"], int)
        or db.session.connection().execute(statement, params).first() is None
    ):
        raise Unauthorized("The token is no longer valid.", code=ErrorCode.TOKEN_INVALID)
    return params["user_id"]


# Built once: the hot path of every token-authenticated API request.
_users, _refresh_tokens = User.__table__, RefreshToken.__table__
_LIVE_TOKEN_USER = db.select(_users.c.id).where(
    _users.c.id == db.bindparam("user_id"),
    _users.c.token_version == db.bindparam("version"),
    _users.c.disabled_at.is_(None),
)
_LIVE_SIGN_IN_USER = _LIVE_TOKEN_USER.where(
    db.select(_refresh_tokens.c.id)
    .where(
        _refresh_tokens.c.family_id == db.bindparam("family"),
        _refresh_tokens.c.revoked_at.is_(None),
    )
    .exists()
)


def refresh_subject(token: str) -> str | None:
    """The user id a refresh token names, unverified; only for rate-limit keys."""
    try:
        return str(jwt.decode(token, options={"verify_signature": False}).get("sub"))
    except jwt.PyJWTError:
        return None


def _issued_refresh_token(token: str) -> tuple[User, RefreshToken]:
    """The user and record of a genuine refresh token not revoked; TOKEN_INVALID else."""
    claims = _decode(token, "refresh")
    user = _user_for_claims(claims)
    record = db.session.get(RefreshToken, str(claims.get("jti", "")))
    if record is None or record.user_id != user.id or record.revoked_at is not None:
        raise _refresh_token_invalid()
    return user, record


def revoke_family(family_id: str) -> None:
    """Every refresh token descended from one sign-in stops working, and so do the access
    tokens issued with them."""
    db.session.execute(
        db.update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.commit()


def rotate_refresh_token(token: str) -> dict:
    """Exchange a refresh token for a new pair; the old refresh token stops working.

    A token that was already rotated is a replay: one of its holders is not its owner, so
    its whole family is revoked, the newer tokens included.
    """
    user, record = _issued_refresh_token(token)
    # Conditional update: of two concurrent refreshes with one token, only one wins; the
    # other is a replay like any other.
    claimed = db.session.execute(
        db.update(RefreshToken)
        .where(
            RefreshToken.id == record.id,
            RefreshToken.used_at.is_(None),
            RefreshToken.revoked_at.is_(None),
        )
        .values(used_at=utcnow())
    ).rowcount
    if claimed != 1:
        revoke_family(record.family_id)
        raise _refresh_token_invalid()
    return issue_token_pair(user, family_id=record.family_id)  # commits the claim with it


def log_out(token: str) -> None:
    """API sign-out: every refresh token of this token's sign-in (an earlier, already
    rotated one names it too) and the access tokens issued with them stop working.

    TOKEN_INVALID for a token that is unknown or already revoked.
    """
    _user, record = _issued_refresh_token(token)
    revoke_family(record.family_id)
