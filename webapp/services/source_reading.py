"""Reading sources, the worker's side: parse an upload or import a page, keep what was
read (and with which version of reading), read again what an older version read, and
record a failure with its readable reason."""

from __future__ import annotations

import logging

from flask import current_app

from ..extensions import db
from ..models import Job, Source
from ..vocabulary import FileType, JobStatus, SourceStatus
from . import jobs
from .fetch import FetchError, fetch_page
from .parsing import ParsedDocument, ParseError, parse_document
from .parsing.html import parse_html
from .parsing.reflow import READER_VERSION, read_as_written
from .parsing.text import parse_text
from .storage import StorageError, get_storage

log = logging.getLogger(__name__)


def run_parse(source_id: str) -> None:
    """Worker side of an upload: read the stored file and parse it."""
    _run(source_id, "Parsing the document", _parse_stored_file)


def run_url_import(source_id: str) -> None:
    """Worker side of a URL import: fetch, extract the main text, keep the page title."""
    _run(source_id, "Fetching the page", _import_page)


def _run(source_id: str, step: str, work) -> None:
    source = db.session.get(Source, source_id)
    if source is None:
        log.info("source %s was deleted before it was parsed", source_id)
        return
    job = db.session.get(Job, source.job_id) if source.job_id else None
    source.status = SourceStatus.PARSING
    source.error_message = None
    if job:
        jobs.start_job(job, step)
    db.session.commit()
    try:
        document = work(source, job)
    except (ParseError, FetchError) as exc:  # our own readable reasons, about the input
        record_failure(source.id, str(exc))
        raise
    keep_parse(source, document)
    source.status = SourceStatus.PARSED
    if document.details.get("title") and source.file_type == FileType.URL:
        source.filename = document.details["title"]
    if job:
        jobs.complete_job(job, {"source_id": source.id})  # one commit: source and job
    else:
        db.session.commit()


def keep_parse(source: Source, document: ParsedDocument) -> None:
    """Store what parsing read, and with which version of reading."""
    source.parsed_text = document.text
    source.word_count = document.word_count
    source.parse_details = {**document.details, "reader": READER_VERSION}


def read_again_if_outdated(source: Source) -> None:
    """A parsed source read before the current way of reading (READER_VERSION: wrapped
    lines joined, characters normalised, PDF page starts) is read again, from its stored
    file, or for an imported page (no file kept) from its text. Saved with the caller's
    commit; a file that cannot be read again leaves the source as it was."""
    if (source.parse_details or {}).get("reader") == READER_VERSION:
        return
    if source.file_type == FileType.URL or not source.storage_key:
        text = read_as_written(source.parsed_text or "")
        keep_parse(source, ParsedDocument(text, dict(source.parse_details or {})))
        return
    try:
        keep_parse(source, _parse_stored_file(source, None))
    except (StorageError, ParseError) as exc:
        log.warning("source %s could not be read again: %s", source.id, exc)


def _parse_stored_file(source: Source, job: Job | None):
    data = get_storage().read(source.storage_key)
    return parse_document(data, source.file_type)


def _import_page(source: Source, job: Job | None):
    config = current_app.config
    page = fetch_page(
        source.source_url,
        allowed_hosts=config["ALLOWED_PRIVATE_HOSTS"],
        timeout=config["URL_FETCH_TIMEOUT_SECONDS"],
        max_bytes=config["URL_FETCH_MAX_BYTES"],
    )
    if job:
        jobs.set_progress(job, 50, "Extracting the main text")
    source.file_size = len(page.body)
    if page.content_type == "text/plain":
        return parse_text(page.body)
    return parse_html(page.html(), page.url)


def record_failure(source_id: str, message: str) -> None:
    """Mark the source and its job failed with a readable reason (the worker's last word),
    in one commit. A completed job stays completed."""
    db.session.rollback()
    source = db.session.get(Source, source_id)
    if source is None:
        return
    source.status = SourceStatus.FAILED
    source.error_message = message
    job = db.session.get(Job, source.job_id) if source.job_id else None
    if job and job.status != JobStatus.COMPLETED:
        jobs.fail_job(job, message)
    else:
        db.session.commit()


def record_failure_for_job(job_id: str, message: str) -> None:
    """The same, found from the job: for a work horse that died without a word, or a job
    lost from the queue. The job is failed even when its source is gone or settled."""
    db.session.rollback()
    source = db.session.execute(
        db.select(Source).where(Source.job_id == job_id)
    ).scalar_one_or_none()
    if source is not None and source.status in (SourceStatus.UPLOADED, SourceStatus.PARSING):
        record_failure(source.id, message)
    else:
        jobs.fail_job_by_id(job_id, message)
