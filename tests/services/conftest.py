"""Fixtures shared by the quota and reaper tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ..conftest import TEST_KEY_PREFIX
from ..factories import make_project, make_user


@pytest.fixture
def idle_queue(app, monkeypatch):
    """Jobs go to a queue of this test run that no worker listens to."""
    monkeypatch.setitem(app.config, "REDIS_KEY_PREFIX", f"{TEST_KEY_PREFIX}-idle")


@pytest.fixture
def holder(db, app, idle_queue):
    user = make_user(app, email="holder@example.com")
    return SimpleNamespace(id=user.id, project=make_project(app, user))
