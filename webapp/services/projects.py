"""Projects: create, list, fetch-and-authorize, update, delete."""
from __future__ import annotations

from ..errors import NotFound
from ..extensions import db
from ..models import Job, Post, Project, Source, User
from ..models.base import is_valid_id
from ..vocabulary import JobStatus
from . import live
from .sources import delete_stored_files

_UNSET = object()


def get_project_or_404(project_id: str, user: User) -> Project:
    """The user's project; anybody else's, or a missing one, is PROJECT_NOT_FOUND (404)."""
    project = db.session.get(Project, project_id) if is_valid_id(project_id) else None
    if project is None or project.user_id != user.id:
        raise NotFound("Project not found.", code="PROJECT_NOT_FOUND")
    return project


def create_project(user: User, name: str, description: str | None = None,
                   metadata: dict | None = None) -> Project:
    """Create a project owned by `user`."""
    project = Project(
        user_id=user.id, name=name.strip(), description=_clean(description),
        metadata_=dict(metadata or {}),
    )
    db.session.add(project)
    db.session.commit()
    return project


def list_projects(user: User, limit: int = 100, offset: int = 0) -> tuple[list[Project], int]:
    """A page of the user's projects, newest first, and the total count."""
    base = db.select(Project).where(Project.user_id == user.id)
    total = db.session.execute(
        db.select(db.func.count()).select_from(base.subquery())
    ).scalar_one()
    projects = db.session.execute(
        base.order_by(Project.created_at.desc(), Project.id.desc()).limit(limit).offset(offset)
    ).scalars().all()
    return list(projects), total


def content_counts(projects: list[Project]) -> dict[str, tuple[int, int]]:
    """{project id: (sources, posts)} for the dashboard's cards, in two grouped queries
    whatever the number of projects."""
    ids = [p.id for p in projects]
    counts = {i: [0, 0] for i in ids}
    for column, model in enumerate((Source, Post)):
        rows = db.session.execute(db.select(model.project_id, db.func.count()).where(
            model.project_id.in_(ids)).group_by(model.project_id)) if ids else []
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
    keys = db.session.execute(
        db.select(Source.storage_key).where(Source.project_id == project.id)).scalars().all()
    running = db.session.execute(db.select(Job.id).where(
        Job.project_id == project.id, Job.status == JobStatus.PROCESSING)).scalars().all()
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
