"""The link panel of a project's page (templates/links/_panel.html), shared by the link
pages and the project page."""

from __future__ import annotations

from ..services import links as link_service
from .forms import LinkForm


def panel_context(project, form=None) -> dict:
    """What the project page's link panel needs."""
    links, total = link_service.list_links(project, limit=100)
    return {"links": links, "links_total": total, "link_form": form or LinkForm(formdata=None)}
