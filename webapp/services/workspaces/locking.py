"""The workspace lock: changes to who is in a workspace, and its deletion, run one at a
time."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import text

from ...errors import ErrorCode, NotFound
from ...extensions import db
from ...models import Workspace

NOT_FOUND = {"code": ErrorCode.WORKSPACE_NOT_FOUND, "message": "Workspace not found."}


@contextmanager
def workspace_locked(workspace_id: str):
    """One transaction holding the workspace's lock; yields the workspace, fresh.

    `SELECT … FOR UPDATE` on its row on Postgres; SQLite has no row locks and opens its
    transactions lazily, so there it starts with BEGIN IMMEDIATE (the database's write
    lock), as `plans.holder_locked` does. Commits on leaving, rolls back on an error. A
    workspace gone meanwhile is WORKSPACE_NOT_FOUND."""
    db.session.commit()  # the lock must be the first thing the transaction does
    try:
        if db.engine.dialect.name == "sqlite":
            db.session.execute(text("BEGIN IMMEDIATE"))
        workspace = db.session.execute(
            db.select(Workspace)
            .where(Workspace.id == workspace_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one_or_none()
        if workspace is None:
            raise NotFound(**NOT_FOUND)
        yield workspace
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
