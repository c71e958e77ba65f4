"""Who is calling the API: a JWT access token or an API key, resolved once per request."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import g, request
from flask_limiter.util import get_remote_address

from ..errors import AppError, ErrorCode, Unauthorized
from ..extensions import db
from ..models import ApiKey, User
from ..services.api_keys import authenticate_api_key, looks_like_api_key
from ..services.tokens import user_id_for_access_token
from ..vocabulary import KeyMode


@dataclass
class Principal:
    """The caller as checked by one query: its user id and, with an API key, the key's id
    and mode. The ORM objects load on first use only: most requests need just the id."""

    user_id: str
    api_key_id: str | None = None
    api_key_mode: str | None = None
    _user: User | None = field(default=None, repr=False)

    @property
    def user(self) -> User:
        if self._user is None:
            self._user = db.session.get(User, self.user_id)
            if self._user is None:  # deleted since the credential was checked
                raise Unauthorized("The token is no longer valid.", code=ErrorCode.TOKEN_INVALID)
        return self._user

    @property
    def api_key(self) -> ApiKey | None:
        return db.session.get(ApiKey, self.api_key_id) if self.api_key_id else None

    @property
    def test_mode(self) -> bool:
        return self.api_key_mode == KeyMode.TEST


def presented_credential() -> str | None:
    """The raw token or key from `Authorization: Bearer` or `X-API-Key`, if any."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer " and header[7:].strip():
        return header[7:].strip()
    api_key = request.headers.get("X-API-Key", "").strip()
    return api_key or None


def _resolve(credential: str) -> Principal:
    if looks_like_api_key(credential):
        key = authenticate_api_key(credential)
        return Principal(user_id=key.user_id, api_key_id=key.id, api_key_mode=key.mode)
    return Principal(user_id=user_id_for_access_token(credential))


def current_principal() -> Principal:
    """The authenticated caller; raises 401 (cached, so keys are counted once)."""
    if "api_principal" not in g:
        credential = presented_credential()
        try:
            if credential is None:
                raise Unauthorized("Authentication required: send a Bearer token or X-API-Key.")
            g.api_principal = _resolve(credential)
        except AppError as error:
            g.api_principal = error
    if isinstance(g.api_principal, AppError):
        raise g.api_principal
    return g.api_principal


def rate_limit_key() -> str:
    """Per user when the caller is authenticated, else per client address."""
    try:
        return f"user:{current_principal().user_id}"
    except AppError:
        return f"ip:{get_remote_address()}"
