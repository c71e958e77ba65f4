"""Factories: users and projects created through the services, returned as plain data."""
from __future__ import annotations

import itertools
from types import SimpleNamespace

from webapp.extensions import db
from webapp.services import accounts, projects

DEFAULT_PASSWORD = "SecurePassword123!"
_counter = itertools.count(1)


def make_user(app, email=None, password=DEFAULT_PASSWORD, name="Test User", plan=None):
    with app.app_context():
        existing = accounts.find_user_by_email(email) if email else None
        user = existing or accounts.register_user(
            email or f"user{next(_counter)}@example.com", password, name)
        if plan:
            user.subscription_tier = plan
            db.session.commit()
        return SimpleNamespace(id=user.id, email=user.email, name=user.name, password=password)


def make_project(app, user, name="Project", description=None):
    with app.app_context():
        owner = accounts.get_user(user.id)
        project = projects.create_project(owner, name, description)
        return SimpleNamespace(id=project.id, name=project.name, user_id=owner.id)
