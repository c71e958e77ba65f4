"""Projects: create, list, fetch-and-authorize, update, delete."""

from __future__ import annotations

from ..errors import ErrorCode
from ..extensions import db
from ..models import Job, Post, Project, Source, User
from ..vocabulary import JobStatus
from . import live
from .access import get_owned_or_404, owned
from .paging import Page, newest_first, paginate
from .sources import delete_stored_files
from .sql_time import iso_utc_text

_UNSET = object()


def get_project_or_404(project_id: str, user: User) -> Project:
    """The user's project; anybody else's, or a missing one, is PROJECT_NOT_FOUND (404)."""
    return get_owned_or_404(
        Project, project_id, user, code=ErrorCode.PROJECT_NOT_FOUND, message="Project not found."
    )


def create_project(
    user: User, name: str, description: str | None = None, metadata: dict | None = None
) -> Project:
    """Create a project owned by `user`."""
    project = Project(
        user_id=user.id,
        name=name.strip(),
        description=_clean(description),
        metadata_=dict(metadata or {}),
    )
    db.session.add(project)
    db.session.commit()
    return project


def list_projects(user: User, limit: int = 100, offset: int = 0) -> Page[Project]:
    """A page of the user's projects, newest first, and the total count."""
    return paginate(
        owned(Project, user), order_by=newest_first(Project), limit=limit, offset=offset
    )


def content_counts(projects: list[Project]) -> dict[str, tuple[int, int]]:
    """{project id: (sources, posts)} for the dashboard's cards, in two grouped queries
    whatever the number of projects."""
    ids = [p.id for p in projects]
    counts = {i: [0, 0] for i in ids}
    for column, model in enumerate((Source, Post)):
        rows = (
            db.session.execute(
                db.select(model.project_id, db.func.count())
                .where(model.project_id.in_(ids))
                .group_by(model.project_id)
            )
            if ids
            else []
        )
        for project_id, count in rows:
            counts[project_id][column] = count
    return {i: tuple(pair) for i, pair in counts.items()}


def update_project(project: Project, name=_UNSET, description=_UNSET, metadata=_UNSET) -> Project:
    """Change any of name, description and metadata; fields not given stay as they are."""
    if name is not _UNSET and name is not None:
        project.name = name.strip()
    if description is not _UNSET:
        project.description = _clean(description)
    if metadata is not _UNSET and metadata is not None:
        project.metadata_ = dict(metadata)
    db.session.commit()
    return project


def delete_project(project: Project) -> None:
    """Delete the project and everything in it: sources (and their files), posts, jobs."""
    keys = (
        db.session.execute(db.select(Source.storage_key).where(Source.project_id == project.id))
        .scalars()
        .all()
    )
    running = (
        db.session.execute(
            db.select(Job.id).where(
                Job.project_id == project.id, Job.status == JobStatus.PROCESSING
            )
        )
        .scalars()
        .all()
    )
    db.session.delete(project)
    db.session.commit()
    for job_id in running:
        live.forget_job_state(job_id)  # polls of a deleted job must not see it running
    delete_stored_files(list(keys))


def _clean(description: str | None) -> str | None:
    if description is None:
        return None
    description = description.strip()
    return description or None


def list_project_rows(user_id: str, limit: int = 100, offset: int = 0) -> tuple[list, int]:
    """`list_projects` without ORM objects, for the API's hot path: a page of the user's
    projects as rows (the columns of `projects`, the timestamps as the API's ISO text),
    newest first, and the total count, in one query (a window over the user's projects)."""
    # The session's connection (its transaction): Core statements need no ORM execution.
    rows = (
        db.session.connection()
        .execute(_PROJECT_PAGE, {"user_id": user_id, "limit": limit, "offset": offset})
        .all()
    )
    if rows:
        return rows, rows[0].total
    if offset == 0:
        return [], 0
    # Past the last page: no row carries the count.
    return [], db.session.connection().execute(_PROJECT_COUNT, {"user_id": user_id}).scalar_one()


# Built once: the statements of the hot path.
_projects = Project.__table__
_PROJECT_PAGE = (
    db.select(
        *(column for column in _projects.c if column.name not in ("created_at", "updated_at")),
        iso_utc_text(_projects.c.created_at).label("created_at"),
        iso_utc_text(_projects.c.updated_at).label("updated_at"),
        db.func.count().over().label("total"),
    )
    .where(_projects.c.user_id == db.bindparam("user_id"))
    .order_by(_projects.c.created_at.desc(), _projects.c.id.desc())
    .limit(db.bindparam("limit"))
    .offset(db.bindparam("offset"))
)
_PROJECT_COUNT = db.select(db.func.count()).where(_projects.c.user_id == db.bindparam("user_id"))
