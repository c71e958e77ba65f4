"""A project as a ZIP streamed while it is written: every post that may leave Copydesk in
the three formats (`posts/<slug>.md|html|docx`) and a `manifest.json`.

The archive is written into a sink that only buffers what zipfile wrote since the last
chunk was taken (zipfile writes data descriptors when its output cannot seek), so no more
than one post's files are held at a time; posts are read from the database page by page."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator

from ...extensions import db
from ...models import Post, Project, Source
from ...vocabulary import ExportFormat
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
    sink = _Sink()
    entries: list[dict] = []
    used: set[str] = set()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for post in _cleared_posts(project):
            entries.append(_write_post(archive, post, _unique(slug(title_of(post)), used)))
            yield sink.take()
        manifest = _manifest(project, entries)
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    yield sink.take()


def _cleared_posts(project: Project) -> Iterator[Post]:
    """The posts that may leave, oldest first, read PAGE_SIZE at a time."""
    query = approval.cleared_posts(project).order_by(Post.created_at, Post.id)
    offset = 0
    while True:
        page = db.session.execute(query.limit(PAGE_SIZE).offset(offset)).scalars().all()
        yield from page
        if len(page) < PAGE_SIZE:
            return
        offset += PAGE_SIZE


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
