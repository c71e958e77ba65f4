"""A project's list of sources (templates/sources/_list.html), shared by the source pages
and the project page."""

from __future__ import annotations

from ..services import sources as source_service
from ..vocabulary import SourceStatus
from .forms import UrlImportForm

PENDING = (SourceStatus.UPLOADED, SourceStatus.PARSING)


def list_context(project, notices=None, url_form=None) -> dict:
    """The list; `notices` (a list, maybe empty) when it answers an upload or import."""
    sources, total = source_service.list_sources(project, limit=100)
    return {
        "project": project,
        "sources": sources,
        "total": total,
        "pending": any(s.status in PENDING for s in sources),
        "pending_statuses": PENDING,
        "notices": notices,
        "url_form": url_form or UrlImportForm(formdata=None),
    }
