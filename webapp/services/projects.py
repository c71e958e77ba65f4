"""Projects: create, list, fetch-and-authorize, update, delete."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ErrorCode
from ..extensions import db
from ..models import Job, Membership, Post, Project, Source, User
from ..vocabulary import Activity, JobStatus
from . import activity, live, workspaces
from .access import Permission, get_owned_or_404, owned
from .paging import Page, newest_first, paginate
from .sources import delete_stored_files
from .sql_time import iso_utc_text

_UNSET = object()


def get_project_or_404(project_id: str, user: User, need: Permission = Permission.READ) -> Project:
    """A project of a workspace `user` belongs to, if their role there allows `need`;
    anybody else's, or a missing one, is PROJECT_NOT_FOUND (404), too small a role
    INSUFFICIENT_ROLE (403)."""
    return get_owned_or_404(
        Project,
        project_id,
        user,
        need=need,
        code=ErrorCode.PROJECT_NOT_FOUND,
        message="Project not found.",
    )


def create_project(
    user: User,
    name: str,
    description: str | None = None,
    metadata: dict | None = None,
    workspace_id: str | None = None,
) -> Project:
    """Create a project by `user` in the workspace `workspace_id` (they must be an editor
    or more there; WORKSPACE_NOT_FOUND when they are not a member) or, by default, in
    their personal workspace."""
    workspace = workspaces.workspace_for_new_project(user, workspace_id)
    project = Project(
        user_id=user.id,
        workspace_id=workspace.id,
        name=name.strip(),
        description=_clean(description),
        metadata_=dict(metadata or {}),
    )
    db.session.add(project)
    db.session.flush()
    activity.record(
        workspace.id,
        user,
        Activity.PROJECT_CREATED,
        "project",
        project.id,
        f"{activity.actor_name(user)} created project {activity.quoted(project.name)}",
    )
    db.session.commit()
    return project


def list_projects(
    user: User, limit: int = 100, offset: int = 0, workspace_id: str | None = None
) -> Page[Project]:
    """A page of the projects of every workspace `user` belongs to (or of the one
    `workspace_id`), newest first, and the total count."""
    query = owned(Project, user)
    if workspace_id is not None:
        query = query.where(Project.workspace_id == workspace_id)
    return paginate(query, order_by=newest_first(Project), limit=limit, offset=offset)


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


def update_project(
    project: Project,
    name=_UNSET,
    description=_UNSET,
    metadata=_UNSET,
    approval_required=_UNSET,
) -> Project:
    """Change any of name, description, metadata and approval_required; fields not given
    stay as they are. The caller fetched the project with Permission.EDIT."""
    if name is not _UNSET and name is not None:
        project.name = name.strip()
    if description is not _UNSET:
        project.description = _clean(description)
    if metadata is not _UNSET and metadata is not None:
        project.metadata_ = dict(metadata)
    if approval_required is not _UNSET and approval_required is not None:
        project.approval_required = bool(approval_required)
    db.session.commit()
    return project


@dataclass
class ProjectRemoval:
    """What is left to do once a project's deletion is committed: forget its running
    jobs' live state, delete its stored files."""

    storage_keys: list[str]
    running_job_ids: list[str]

    def after_commit(self) -> None:
        for job_id in self.running_job_ids:
            live.forget_job_state(job_id)  # polls of a deleted job must not see it running
        delete_stored_files(self.storage_keys)


def remove_project(project: Project, actor: User | None = None) -> ProjectRemoval:
    """Delete the project and everything in it from the session (not committed; sources,
    posts, jobs go by cascade) and tell the workspace's feed who (`actor`) did it. Call
    the returned removal's `after_commit` once the deletion is committed."""
    keys = db.session.execute(
        db.select(Source.storage_key).where(Source.project_id == project.id)
    ).scalars()
    running = db.session.execute(
        db.select(Job.id).where(Job.project_id == project.id, Job.status == JobStatus.PROCESSING)
    ).scalars()
    removal = ProjectRemoval(list(keys), list(running))
    activity.record(
        project.workspace_id,
        actor,
        Activity.PROJECT_DELETED,
        "project",
        project.id,
        f"{activity.actor_name(actor)} deleted project {activity.quoted(project.name)}",
    )
    db.session.delete(project)
    return removal


def delete_project(project: Project, actor: User | None = None) -> None:
    """Delete the project and everything in it: sources (and their files), posts, jobs;
    the workspace's feed tells who (`actor`) did it."""
    removal = remove_project(project, actor)
    db.session.commit()
    removal.after_commit()


def _clean(description: str | None) -> str | None:
    if description is None:
        return None
    description = description.strip()
    return description or None


def list_project_rows(
    user_id: str, limit: int = 100, offset: int = 0, workspace_id: str | None = None
) -> tuple[list, int]:
    """`list_projects` without ORM objects, for the API's hot path: a page of the projects
    of the user's workspaces (or of the one `workspace_id`) as rows (the columns of
    `projects`, the timestamps as the API's ISO text), newest first, and the total count,
    in one query (a window over those projects)."""
    params = {"user_id": user_id, "workspace_id": workspace_id}
    page, count = _ALL if workspace_id is None else _ONE_WORKSPACE
    # The session's connection (its transaction): Core statements need no ORM execution.
    connection = db.session.connection()
    rows = connection.execute(page, {**params, "limit": limit, "offset": offset}).all()
    if rows:
        return rows, rows[0].total
    if offset == 0:
        return [], 0
    # Past the last page: no row carries the count.
    return [], connection.execute(count, params).scalar_one()


# Built once: the statements of the hot path, for all the user's workspaces or one.
_projects = Project.__table__
_memberships = Membership.__table__


def _page_and_count(*filters) -> tuple:
    where = db.and_(
        _projects.c.workspace_id.in_(
            db.select(_memberships.c.workspace_id).where(
                _memberships.c.user_id == db.bindparam("user_id")
            )
        ),
        *filters,
    )
    page = (
        db.select(
            *(c for c in _projects.c if c.name not in ("created_at", "updated_at")),
            iso_utc_text(_projects.c.created_at).label("created_at"),
            iso_utc_text(_projects.c.updated_at).label("updated_at"),
            db.func.count().over().label("total"),
        )
        .where(where)
        .order_by(_projects.c.created_at.desc(), _projects.c.id.desc())
        .limit(db.bindparam("limit"))
        .offset(db.bindparam("offset"))
    )
    return page, db.select(db.func.count()).select_from(_projects).where(where)


_ALL = _page_and_count()
_ONE_WORKSPACE = _page_and_count(_projects.c.workspace_id == db.bindparam("workspace_id"))
