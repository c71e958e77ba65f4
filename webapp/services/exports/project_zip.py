"""A project, or the posts of one job (a bulk job's rows, a campaign's four posts), as a
ZIP streamed while it is written: every post that may leave Copydesk in the three formats
(`posts/<slug>.md|html|docx`) and a `manifest.json`.

The archive is written into a sink that only buffers what zipfile wrote since the last
chunk was taken (zipfile writes data descriptors when its output cannot seek), so no more
than one post's files are held at a time; posts are read from the database page by page."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator

from ...errors import AppError, Conflict, ErrorCode, NotFound
from ...extensions import db
from ...models import Job, Post, Project, Source
from ...timeutil import iso_utc
from ...vocabulary import Channel, ExportFormat, JobStatus, PostStatus
from ..footnotes import footnotes_of
from ..review import approval
from . import render, slug, title_of

PAGE_SIZE = 20


class _Sink:
    """A write-only, non-seekable stream whose written bytes are taken in chunks."""

    def __init__(self):
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self._chunks = b"".join(self._chunks), []
        return data


def zip_filename(project: Project) -> str:
    return f"{slug(project.name, 'project')}.zip"


def project_zip(project_id: str) -> Iterator[bytes]:
    """The ZIP's bytes, chunk by chunk (at least one per post). Runs when the response is
    sent: the caller keeps an app context (and the session) open while it is consumed."""
    project = db.session.get(Project, project_id)
    query = approval.cleared_posts(project).order_by(Post.created_at, Post.id)
    return _zip(project, query, {})


def job_zip_filename(job: Job) -> str:
    project = db.session.get(Project, job.project_id)
    return f"{slug(project.name, 'project')}-{slug(job.job_type)}-{job.id}.zip"


def require_job_download(job: Job) -> None:
    """A job's posts may be downloaded once it has completed (409 INVALID_STATE before)
    and when it wrote a post (404 NOT_FOUND) that may leave Copydesk (409
    APPROVAL_REQUIRED when its project requires an approval none of them has)."""
    if job.status != JobStatus.COMPLETED:
        raise AppError(
            f"The job is {job.status}; its posts can be downloaded once it has completed.",
            code=ErrorCode.INVALID_STATE,
            status=409,
        )
    completed = db.select(Post.id).where(Post.job_id == job.id, Post.status == PostStatus.COMPLETED)
    if job.project_id is None or not _exists(completed):
        raise NotFound("The job wrote no post (or its posts were deleted).")
    if not _exists(_job_posts(job)):
        raise Conflict(
            "This project requires approval: none of the job's posts is approved at its "
            "current version yet.",
            code=ErrorCode.APPROVAL_REQUIRED,
        )


def can_download(job: Job) -> bool:
    """Whether the job's page offers its posts as a ZIP."""
    try:
        require_job_download(job)
    except AppError:
        return False
    return True


def job_zip(job_id: str) -> Iterator[bytes]:
    """The ZIP of the posts job `job_id` wrote that may leave, in the job's order (a bulk
    job's rows, a campaign's blog post first), streamed as `project_zip` is; the
    manifest names the job, and each post's topic and position in it."""
    job = db.session.get(Job, job_id)
    project = db.session.get(Project, job.project_id)
    query = _job_posts(job).order_by(Post.position, Post.created_at, Post.id)
    head = {
        "job": {
            "id": job.id,
            "job_type": job.job_type,
            "created_at": iso_utc(job.created_at),
            "finished_at": iso_utc(job.finished_at),
        }
    }
    return _zip(project, query, head, lambda post: {"topic": post.topic, "position": post.position})


def _job_posts(job: Job):
    """A select of the job's posts that may leave Copydesk."""
    project = db.session.get(Project, job.project_id)
    return approval.cleared_posts(project).where(Post.job_id == job.id)


def _exists(query) -> bool:
    return db.session.execute(query.limit(1)).first() is not None


def _zip(project: Project, query, head: dict, more=None) -> Iterator[bytes]:
    """The archive of the posts `query` selects, with `head` first in the manifest and
    `more(post)` added to each post's entry."""
    sink = _Sink()
    entries: list[dict] = []
    used: set[str] = set()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for post in _paged(query):
            entry = _write_post(archive, post, _unique(file_stem(post), used))
            entries.append({**entry, **(more(post) if more else {})})
            yield sink.take()
        manifest = {**head, **_manifest(project, entries)}
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    yield sink.take()


def _paged(query) -> Iterator[Post]:
    """The posts `query` selects, in its order, read PAGE_SIZE at a time."""
    offset = 0
    while True:
        page = db.session.execute(query.limit(PAGE_SIZE).offset(offset)).scalars().all()
        yield from page
        if len(page) < PAGE_SIZE:
            return
        offset += PAGE_SIZE


def file_stem(post: Post) -> str:
    """A post's file name in the archive: its title, and its channel unless a blog post
    (a campaign's four posts share a title)."""
    stem = slug(title_of(post))
    return stem if post.channel == Channel.BLOG else f"{stem}-{post.channel}"


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name}-{n}", n + 1
    used.add(candidate)
    return candidate


def _write_post(archive: zipfile.ZipFile, post: Post, name: str) -> dict:
    footnotes = footnotes_of(post)
    files = []
    for fmt in ExportFormat:
        path = f"posts/{name}.{fmt}"
        archive.writestr(path, render(post, fmt, footnotes))
        files.append(path)
    return {
        "id": post.id,
        "title": title_of(post),
        "channel": post.channel,
        "review_status": post.review_status,
        "item_version": post.item_version,
        "words": post.word_count,
        "files": files,
    }


def _manifest(project: Project, posts: list[dict]) -> dict:
    sources = db.session.execute(
        db.select(Source.filename, Source.file_type)
        .where(Source.project_id == project.id)
        .order_by(Source.created_at, Source.id)
    ).all()
    return {
        "project": {
            "id": project.id,
            "name": project.name,
            "description": project.description,
            "approval_required": project.approval_required,
        },
        "posts": posts,
        "sources": [{"name": name, "type": file_type} for name, file_type in sources],
    }
