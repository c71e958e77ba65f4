"""The panels of a project's page (templates/projects/show.html), for the views that render it:
the project's own, and a source form sent back with its errors without JavaScript."""

from __future__ import annotations

from ..links.panels import panel_context as links_panel_context
from ..posts.panels import panel_context as posts_panel_context
from ..sources.panels import list_context as sources_list_context


def project_page_context(project, /, **overrides) -> dict:
    """Everything the project page shows; `overrides` replace parts (a form sent back
    with its errors)."""
    return {
        **sources_list_context(project),
        **posts_panel_context(project),
        **links_panel_context(project),
        **overrides,
    }
