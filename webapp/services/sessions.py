"""Server-side sign-in sessions, and signing a user out of every session and token.

The session and remember-me cookies carry `<user id>:<key>`; the key names a row of
`user_sessions` (stored as its SHA-256). Sign-out revokes the row, so a copy of either
cookie stops working with it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from ..extensions import db
from ..models import ApiKey, RefreshToken, User, UserSession
from ..timeutil import utcnow

# A session unused for as long as Flask-Login's remember-me cookie lives is over.
IDLE_LIMIT = timedelta(days=365)
# last_seen_at is written at most this often, so that most page views only read.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(
    user: User, user_agent: str | None = None, ip_address: str | None = None
) -> UserSession:
    """Open a session for a sign-in; `user.get_id()` then names it for the cookies."""
    now = utcnow()
    _forget_dead_sessions(user, now)
    key = secrets.token_urlsafe(32)
    record = UserSession(
        id=_digest(key),
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        user_agent=(user_agent or "")[:255] or None,
        ip_address=(ip_address or "")[:45] or None,
    )
    db.session.add(record)
    db.session.commit()
    user.session_key = key
    return record


def _forget_dead_sessions(user: User, now) -> None:
    """Drop the user's revoked and long-idle rows, so the table does not grow forever."""
    db.session.execute(
        db.delete(UserSession).where(
            UserSession.user_id == user.id,
            db.or_(
                UserSession.revoked_at.is_not(None), UserSession.last_seen_at < now - IDLE_LIMIT
            ),
        )
    )


def user_for_session(identifier: str) -> User | None:
    """The user a cookie's `<user id>:<key>` names while that session is live; one query."""
    user_id, _, key = identifier.partition(":")
    if not user_id or not key:
        return None
    row = db.session.execute(
        db.select(User, UserSession)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            User.id == user_id,
            UserSession.id == _digest(key),
            UserSession.revoked_at.is_(None),
            User.disabled_at.is_(None),
        )
    ).first()
    if row is None:
        return None
    user, record = row
    now = utcnow()
    if record.last_seen_at < now - IDLE_LIMIT:
        return None
    if now - record.last_seen_at > LAST_SEEN_RESOLUTION:
        record.last_seen_at = now
        db.session.commit()
    user.session_key = key
    return user


def current_session_id(user: User) -> str | None:
    """The row id of the session `user` was loaded with, if any."""
    return _digest(user.session_key) if user.session_key else None


def active_sessions(user: User) -> list[UserSession]:
    """The user's live sessions, most recently used first."""
    return list(
        db.session.execute(
            db.select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.revoked_at.is_(None),
                UserSession.last_seen_at >= utcnow() - IDLE_LIMIT,
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id)
        ).scalars()
    )


def end_session(user: User) -> None:
    """Sign-out: the session `user` was loaded with stops working, wherever its cookies are."""
    session_id = current_session_id(user)
    if session_id is None:
        return
    db.session.execute(
        db.update(UserSession)
        .where(UserSession.id == session_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.commit()


def sign_out_everywhere(
    user: User, keep_session_key: str | None = None, revoke_api_keys: bool = False
) -> None:
    """Revoke every session (but the one `keep_session_key` names) and refresh token of
    `user`, and kill every access token issued so far; API keys too when asked.

    Commits, together with any change to `user` still pending (a new password hash).
    """
    now = utcnow()
    sessions = db.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
    )
    if keep_session_key:
        sessions = sessions.where(UserSession.id != _digest(keep_session_key))
    db.session.execute(sessions.values(revoked_at=now))
    db.session.execute(
        db.update(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    # Access tokens carry the version they were issued under; bumping it refuses them all.
    db.session.execute(
        db.update(User)
        .where(User.id == user.id)
        .values(token_version=User.token_version + 1)
        .execution_options(synchronize_session=False)
    )
    if revoke_api_keys:
        db.session.execute(
            db.update(ApiKey)
            .where(ApiKey.user_id == user.id, ApiKey.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    db.session.commit()
