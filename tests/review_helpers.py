"""A team around one finished post, for the comments and share-link tests: an owner, an
editor, a reviewer and a viewer of one workspace, and a completed blog post."""

from __future__ import annotations

from types import SimpleNamespace

from webapp.extensions import db
from webapp.models import Post, Project

from .factories import add_member, make_completed_post, make_team_project, make_user, make_workspace

MARKDOWN = (
    "# Async standups\n\n"
    "Teams that write things down meet less often.[1]\n\n"
    "## Why\n\n"
    "Asynchronous standups save about 20 minutes a day per person.\n"
)
CONTENT = {
    "title": "Async standups",
    "markdown": MARKDOWN,
    "word_count": 20,
    "kind": "draft",
    "citations": [
        {
            "n": 1,
            "source_id": None,
            "source_name": "survey.md",
            "quote": "Teams that write things down meet less often.",
            "location": {"paragraph": 2},
        }
    ],
}
PEOPLE = {
    "owner": "Olive Owner",
    "editor": "Eddie Editor",
    "reviewer": "Rita Reviewer",
    "viewer": "Vic Viewer",
}


def team_post(app, content=CONTENT, **fields) -> SimpleNamespace:
    """The team (by role: id, email, name) and the ids of its project and post."""
    people = {
        role: make_user(app, email=f"{role}@example.com", name=name)
        for role, name in PEOPLE.items()
    }
    workspace = make_workspace(app, people["owner"])
    for role in ("editor", "reviewer", "viewer"):
        add_member(app, workspace, people[role], role)
    project = make_team_project(app, workspace, people["owner"])
    post_id = make_completed_post(app, people["owner"], project, dict(content), **fields)
    return SimpleNamespace(people=people, workspace=workspace, project=project, post_id=post_id)


def api_headers(client, email: str) -> dict:
    response = client.post(
        "/api/v1/auth/login", json={"email": email, "password": "SecurePassword123!"}
    )
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


def require_approval(app, project_id: str) -> None:
    with app.app_context():
        db.session.get(Project, project_id).approval_required = True
        db.session.commit()


def approve(app, post_id: str) -> None:
    """Mark the post approved at its current version (the approval helper's API does it
    for real; this is the state it leaves)."""
    with app.app_context():
        post = db.session.get(Post, post_id)
        post.review_status = "approved"
        post.approved_version = post.item_version
        db.session.commit()
