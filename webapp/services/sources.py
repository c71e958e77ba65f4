"""Sources: uploads and URL imports, parsed in the background by the worker."""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from typing import BinaryIO

from flask import current_app

from ..config import max_upload_text
from ..errors import AppError, ErrorCode, ServiceUnavailable, ValidationFailed
from ..extensions import db
from ..models import Job, Project, Source, User
from ..vocabulary import Activity, FileType, JobType, SourceStatus
from . import activity, job_registry, jobs, plans
from .access import Permission, get_in_project_or_404, get_owned_or_404
from .fetch import FetchError, check_url
from .paging import Page, newest_first, paginate
from .parsing import (
    ParseError,
    UnsupportedFileType,
    detect_file_type,
)
from .parsing.csv_topics import TopicTable, read_topics, topics_to_csv
from .source_limits import check_parse_queue, check_source_caps
from .storage import StorageError, get_storage, new_key

log = logging.getLogger(__name__)

DEAD_PARSER_MESSAGE = (
    "The worker parsing this document stopped unexpectedly; it may need "
    "more memory than allowed. Upload it again, or a smaller file."
)
DEAD_IMPORTER_MESSAGE = "The worker importing this page stopped unexpectedly; import it again."
LOST_PARSE_MESSAGE = (
    "The job was lost from the queue (its entry in Redis disappeared, for "
    "example when Redis restarted without its data); upload the file or "
    "import the page again."
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_filename(name: str | None, default: str = "upload") -> str:
    """The last path component, without control characters, at most 255 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = _CONTROL.sub("", name.replace("\\", "/").split("/")[-1]).strip().lstrip(".")
    return name[:255] or default


def stream_size(stream: BinaryIO) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def file_too_large() -> AppError:
    return AppError(
        f"The file is larger than the {max_upload_text()} limit.", code=ErrorCode.FILE_TOO_LARGE
    )


NOT_FOUND = {"code": ErrorCode.SOURCE_NOT_FOUND, "message": "Source not found."}


def get_source_or_404(
    source_id: str, user: User, project: Project | None = None, need: Permission = Permission.READ
) -> Source:
    """The user's source (in `project` when given); anybody else's, one of another project
    or a missing one is SOURCE_NOT_FOUND (404)."""
    if project is not None:
        return get_in_project_or_404(Source, source_id, project, user, need=need, **NOT_FOUND)
    return get_owned_or_404(Source, source_id, user, need=need, **NOT_FOUND)


def list_sources(
    project: Project,
    status: str | None = None,
    file_type: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page[Source]:
    """A page of the project's sources, newest first, and the total matching count."""
    query = db.select(Source).where(Source.project_id == project.id)
    if status:
        query = query.where(Source.status == status)
    if file_type:
        query = query.where(Source.file_type == file_type)
    return paginate(query, order_by=newest_first(Source), limit=limit, offset=offset)


def add_upload(user: User, project: Project, filename: str | None, stream: BinaryIO) -> Source:
    """Store an uploaded file and queue its parsing; 4xx (and nothing kept) on bad input."""
    size = stream_size(stream)
    if size > current_app.config["MAX_UPLOAD_BYTES"]:
        raise file_too_large()
    if size == 0:
        raise AppError("The file is empty.", code=ErrorCode.EMPTY_FILE)
    name = clean_filename(filename)
    try:
        file_type = detect_file_type(stream, name)
    except UnsupportedFileType as exc:
        raise AppError(str(exc), code=ErrorCode.UNSUPPORTED_FILE_TYPE) from exc
    # A first look before storing anything; `_queue` checks again under the lock.
    check_source_caps(*plans.plan_and_holder_of(project), project, size)
    key = new_key("sources", user.id)
    try:
        get_storage().save(key, stream)
    except StorageError as exc:
        log.exception("upload could not be stored")
        raise ServiceUnavailable("File storage is unavailable; nothing was uploaded.") from exc
    source = Source(
        project_id=project.id,
        user_id=user.id,
        filename=name,
        file_type=file_type,
        file_size=size,
        storage_key=key,
        status=SourceStatus.UPLOADED,
    )
    return _queue(source, user, project, JobType.DOCUMENT_PARSING)


def add_url(user: User, project: Project, url: str) -> Source:
    """Queue the import of a web page; private addresses are refused at once (400)."""
    try:
        check_url(url, current_app.config["ALLOWED_PRIVATE_HOSTS"])
    except FetchError as exc:
        raise AppError(str(exc), code=ErrorCode.INVALID_URL) from exc
    source = Source(
        project_id=project.id,
        user_id=user.id,
        filename=url[:255],
        file_type=FileType.URL,
        file_size=0,
        source_url=url,
        status=SourceStatus.UPLOADED,
    )
    return _queue(source, user, project, JobType.URL_IMPORT)


def _queue(source: Source, user: User, project: Project, job_type: str) -> Source:
    """Save the source with its job, within the plan's caps (checked under the plan
    holder's lock), then queue the job; nothing is kept when either step fails."""
    plan, holder_id = plans.plan_and_holder_of(project)
    try:
        with plans.holder_locked(holder_id):
            check_source_caps(plan, holder_id, project, source.file_size)
            job = jobs.create_job(user, job_type, project)
            db.session.add(source)
            db.session.flush()
            source.job_id = job.id
            job.result = {"source_id": source.id}
            event = _record_added(source, user, project)
    except Exception:
        delete_stored_files([source.storage_key])
        raise
    try:
        job_registry.enqueue(job, source.id, description=job_description(source))
    except AppError:
        _discard(source, job, event)
        raise
    return source


def _record_added(source: Source, user: User, project: Project):
    """The workspace's `source.added` event, saved with the source."""
    what = "the page" if source.file_type == FileType.URL else "the source"
    return activity.record(
        project.workspace_id,
        user,
        Activity.SOURCE_ADDED,
        "source",
        source.id,
        f"{activity.actor_name(user)} added {what} {activity.quoted(source.filename)} "
        f"to project {activity.quoted(project.name)}",
    )


def job_description(source: Source) -> str:
    """How RQ's log lines name the job."""
    if source.file_type == FileType.URL:
        return f"import {source.source_url}"
    return f"parse {source.file_type} {source.filename!r}"


def retry(failed: Job) -> Job:
    """Parse or import the failed job's source again, as a new queued job within the
    plan's parse queue. Raises AppError when the source is gone or has been queued again
    since, or the queue is full (PARSE_QUEUE_FULL)."""
    source = db.session.execute(
        db.select(Source).where(Source.job_id == failed.id)
    ).scalar_one_or_none()
    if source is None:
        raise AppError(
            f"The source read by job {failed.id} is gone (deleted, or retried under a newer job).",
            code=ErrorCode.INVALID_STATE,
        )
    user = db.session.get(User, failed.user_id)
    plan, holder_id = plans.plan_and_holder_of(source.project)
    with plans.holder_locked(holder_id):
        check_parse_queue(plan, holder_id)
        job = jobs.create_job(user, failed.job_type, source.project)
        db.session.flush()
        job.result = {"source_id": source.id}
        source.job_id, source.status, source.error_message = (job.id, SourceStatus.UPLOADED, None)
    try:
        job_registry.enqueue(job, source.id, description=job_description(source) + " (retry)")
    except AppError:
        source.job_id, source.status, source.error_message = (
            failed.id,
            SourceStatus.FAILED,
            failed.error_message,
        )
        db.session.delete(job)
        db.session.commit()
        raise
    return job


def _discard(source: Source, job: Job, event=None) -> None:
    """Undo an accepted upload whose job could not be queued: nothing is left behind
    (its activity event neither)."""
    key = source.storage_key
    if event is not None:
        db.session.delete(event)
    db.session.delete(source)
    db.session.delete(job)
    db.session.commit()
    if key:
        get_storage().delete(key)


def rename_source(source: Source, filename: str) -> Source:
    source.filename = clean_filename(filename, default=source.filename)
    db.session.commit()
    return source


def delete_source(source: Source) -> None:
    """Delete the record and its stored file."""
    key = source.storage_key
    db.session.delete(source)
    db.session.commit()
    delete_stored_files([key])


def topics_csv(source: Source) -> str:
    """The usable rows of a parsed topics CSV, re-read from storage, as a CSV download in
    which no cell can run as a spreadsheet formula."""
    return topics_to_csv(topic_table(source))


def topic_table(source: Source) -> TopicTable:
    """The rows of a parsed topics CSV, re-read from storage (bulk generation, the topics
    download). INVALID_SOURCE for any other source, or a file that no longer reads as a
    topics CSV; SERVICE_UNAVAILABLE when storage is down."""
    if source.file_type != FileType.CSV or source.status != SourceStatus.PARSED:
        raise ValidationFailed(
            f"Only a parsed CSV source has topic rows; “{source.filename}” is a "
            f"{source.file_type} source ({source.status}).",
            code=ErrorCode.INVALID_SOURCE,
        )
    try:
        data = get_storage().read(source.storage_key)
    except StorageError as exc:
        raise ServiceUnavailable("File storage is unavailable; try again shortly.") from exc
    try:
        return read_topics(data)
    except ParseError as exc:
        raise ValidationFailed(str(exc), code=ErrorCode.INVALID_SOURCE) from exc


def delete_stored_files(keys: list[str | None]) -> None:
    storage = get_storage()
    for key in filter(None, keys):
        try:
            storage.delete(key)
        except StorageError:
            log.exception("stored file %s could not be deleted", key)
