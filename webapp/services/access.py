"""Who may see what: the one ownership rule, and fetching an object under it.

Every service loads "the user's X" through these helpers, so the rule lives here once.
Today a row is its user's (`user_id`); the teams issue changes `owned_by` to workspace
membership for projects and what they hold, and every caller follows.
"""

from __future__ import annotations

from typing import TypeVar

from ..errors import NotFound
from ..extensions import db
from ..models import Project, User
from ..models.base import is_valid_id

M = TypeVar("M")


def owned_by(model, user: User):
    """The where-clause selecting the rows of `model` that `user` may see.

    Every model here has `user_id`, its owner today. With teams, projects and the rows
    that carry `project_id` follow the project's workspace, and a person's own records
    (API keys) keep `user_id`: that distinction belongs here, by model."""
    return model.user_id == user.id


def owned(model, user: User):
    """`select(model)` limited to the user's rows; add filters, then page or fetch it."""
    return db.select(model).where(owned_by(model, user))


def get_owned_or_404(
    model: type[M],
    object_id: str,
    user: User,
    *criteria,
    code: str = NotFound.code,
    message: str = NotFound.message,
) -> M:
    """The `model` row with this id if `user` may see it and it meets `criteria`.

    A malformed id, a missing row, somebody else's row and one failing `criteria` all
    raise the same NotFound(`message`, `code`): a caller learns nothing about what
    exists beyond what it may see. The id is checked before any query.
    """
    found = None
    if is_valid_id(object_id):
        found = db.session.execute(
            owned(model, user).where(model.id == object_id, *criteria)
        ).scalar_one_or_none()
    if found is None:
        raise NotFound(message, code=code)
    return found


def get_in_project_or_404(
    model: type[M],
    object_id: str,
    project: Project,
    user: User,
    *criteria,
    code: str = NotFound.code,
    message: str = NotFound.message,
) -> M:
    """A row of `model` held by `project` (one the caller has already fetched for `user`),
    as `get_owned_or_404` answers: one of another project is not found either."""
    return get_owned_or_404(
        model,
        object_id,
        user,
        model.project_id == project.id,
        *criteria,
        code=code,
        message=message,
    )
