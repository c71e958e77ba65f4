"""People for the brand voice tests, made straight through the models with one password
hash for the whole run (argon2 is slow on purpose; these tests make many accounts)."""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace

from webapp.extensions import db
from webapp.models import User
from webapp.services import tokens, workspaces
from webapp.services.passwords import hash_password
from webapp.timeutil import utcnow

from .factories import DEFAULT_PASSWORD


@cache
def password_hash() -> str:
    return hash_password(DEFAULT_PASSWORD)


def person(app, email, plan="free") -> tuple[SimpleNamespace, dict]:
    """A verified account (password DEFAULT_PASSWORD) with its personal workspace, and
    its Bearer headers."""
    with app.app_context():
        user = User(
            email=email,
            name=email.split("@")[0].title(),
            password_hash=password_hash(),
            subscription_tier=plan,
            email_verified_at=utcnow(),
        )
        db.session.add(user)
        workspaces.add_personal_workspace(user)
        db.session.commit()
        token = tokens.issue_token_pair(user)["access_token"]
        return SimpleNamespace(id=user.id, email=email), {"Authorization": f"Bearer {token}"}
