"""Posts with citations for the export tests, made through the factories."""

from __future__ import annotations

from webapp.extensions import db
from webapp.models import Project

from .factories import make_completed_post, make_parsed_source

SOURCE_TEXT = (
    "# Remote work survey\n\n"
    "Teams that write things down meet less often.\n\n"
    "Asynchronous standups save about 20 minutes a day per person.\n"
)

MARKDOWN = (
    "# Async standups\n\n"
    "Teams that write things down meet less often.[1] Read [the guide](https://example.com/guide).\n\n"
    "## Why it works\n\n"
    "- Standups save **20 minutes** a day.[2]\n"
    "- Updates are *written*\n\n"
    "### In order\n\n"
    "1. Write the update\n"
    "2. Read the others\n\n"
    "Keep `list[1]` as code. <script>alert('x')</script>\n"
)


def citation(n, source_id, quote, paragraph, page=None, name="survey.md") -> dict:
    return {
        "n": n,
        "source_id": source_id,
        "source_name": name,
        "quote": quote,
        "location": {"page": page, "paragraph": paragraph},
    }


def cited_post(app, user, project, title="Async standups", markdown=MARKDOWN, **fields) -> str:
    """A completed blog post citing a parsed source twice; its id."""
    source_id = make_parsed_source(app, user, project, SOURCE_TEXT, name="survey.md")
    content = {
        "title": title,
        "markdown": markdown,
        "word_count": 40,
        "kind": "draft",
        "citations": [
            citation(1, source_id, "Teams that write things down meet less often.", 2),
            citation(2, source_id, "standups save about 20 minutes a day", 3, page=4),
        ],
    }
    return make_completed_post(app, user, project, content, **fields)


def require_approval(app, project) -> None:
    with app.app_context():
        db.session.get(Project, project.id).approval_required = True
        db.session.commit()


APPROVED = {"review_status": "approved", "approved_version": 1, "item_version": 1}


def generating_post(app, user, project) -> str:
    """A post still being written (no content yet); its id."""
    from webapp.models import Post

    post_id = make_completed_post(app, user, project, None)
    with app.app_context():
        db.session.get(Post, post_id).status = "generating"
        db.session.commit()
    return post_id
