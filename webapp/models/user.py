"""Users and the refresh tokens issued to them."""

from __future__ import annotations

from flask_login import UserMixin

from ..extensions import db
from ..timeutil import utcnow
from ..vocabulary import PlanName
from .base import TimestampMixin, id_column, user_fk


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id = id_column()
    email = db.Column(db.String(255), nullable=False, unique=True)
    name = db.Column(db.String(100), nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    subscription_tier = db.Column(db.String(20), nullable=False, default=PlanName.FREE)
    # Bumped on password change, reset and "sign out everywhere": every access token
    # issued before stops working at once.
    token_version = db.Column(db.Integer, nullable=False, default=0)
    # When the owner proved the address is theirs; None until then (see email_verification).
    email_verified_at = db.Column(db.DateTime, nullable=True)
    # Set by an operator (`flask users disable`): no sign-in, token, session or API key of
    # this account is accepted until it is enabled again.
    disabled_at = db.Column(db.DateTime, nullable=True)
    # Review mail (services.review.notifications): each person may turn either off.
    notify_review = db.Column(db.Boolean, nullable=False, default=True, server_default=db.true())
    notify_mentions = db.Column(db.Boolean, nullable=False, default=True, server_default=db.true())
    # Not a column: the key (a str) of the server-side session this request is signed in
    # with, set by services.sessions when a session is started or loaded.
    session_key = None

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None

    projects = db.relationship(
        "Project", back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and remember-me cookies: the user and the
        server-side session, so that revoking the session row signs the cookies out."""
        if self.session_key is None:
            raise RuntimeError("Start a session with services.sessions.start_session first.")
        return f"{self.id}:{self.session_key}"

    # UserMixin compares get_id(), which only a signed-in user has: compare accounts.
    def __eq__(self, other) -> bool:
        return isinstance(other, User) and self.id is not None and other.id == self.id

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class RefreshToken(db.Model):
    """One issued refresh token; rotation marks it used so it cannot be replayed.

    Every token descended from one sign-in shares a family: logout, or a replayed used
    token, revokes the whole family.
    """

    __tablename__ = "refresh_tokens"

    id = db.Column(db.String(32), primary_key=True)  # the JWT's jti
    user_id = user_fk()
    expires_at = db.Column(db.DateTime, nullable=False)
    family_id = db.Column(db.String(32), nullable=False, index=True)
    used_at = db.Column(db.DateTime, nullable=True)
    revoked_at = db.Column(db.DateTime, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
