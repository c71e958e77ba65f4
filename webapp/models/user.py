"""Users and the refresh tokens issued to them."""
from __future__ import annotations

from flask_login import UserMixin

from ..extensions import db
from ..timeutil import utcnow
from .base import TimestampMixin, id_column, user_fk


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id = id_column()
    email = db.Column(db.String(255), nullable=False, unique=True)
    name = db.Column(db.String(100), nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    subscription_tier = db.Column(db.String(20), nullable=False, default="free")
    # Bumped on password change: old sessions, access and refresh tokens stop working.
    token_version = db.Column(db.Integer, nullable=False, default=0)
    # When the owner proved the address is theirs; None until then (see email_verification).
    email_verified_at = db.Column(db.DateTime, nullable=True)

    projects = db.relationship(
        "Project", back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def get_id(self) -> str:
        return f"{self.id}:{self.token_version}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class RefreshToken(db.Model):
    """One issued refresh token; rotation marks it used so it cannot be replayed."""

    __tablename__ = "refresh_tokens"

    id = db.Column(db.String(32), primary_key=True)  # the JWT's jti
    user_id = user_fk()
    expires_at = db.Column(db.DateTime, nullable=False)
    used_at = db.Column(db.DateTime, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
