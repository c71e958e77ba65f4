"""A team around one finished post, for the approval tests: Olga owns the workspace, Ada
is its admin, Ed its editor (the post's author), Rita its reviewer and Vic its viewer."""

from __future__ import annotations

from types import SimpleNamespace

from webapp.extensions import db
from webapp.models import Post

from .factories import make_completed_post, make_user
from .team_factories import make_team, make_team_project

MARKDOWN = (
    "# Async standups\n\n"
    "Teams that write things down meet less often.\n\n"
    "## Why\n\n"
    "Asynchronous standups save about 20 minutes a day per person.\n"
)
CONTENT = {
    "title": "Async standups",
    "markdown": MARKDOWN,
    "introduction": "Teams that write things down meet less often.",
    "sections": [{"heading": "Why", "content": "Asynchronous standups save time."}],
    "conclusion": "",
    "word_count": 20,
    "kind": "draft",
    "citations": [],
}
ROLES = ("owner", "admin", "editor", "reviewer", "viewer")


def make_review_team(app) -> SimpleNamespace:
    people = {
        "owner": make_user(app, email="olga@example.com", name="Olga"),
        "admin": make_user(app, email="ada@example.com", name="Ada"),
        "editor": make_user(app, email="ed@example.com", name="Ed"),
        "reviewer": make_user(app, email="rita@example.com", name="Rita"),
        "viewer": make_user(app, email="vic@example.com", name="Vic"),
    }
    team = make_team(
        app,
        people["owner"],
        admin=people["admin"],
        editor=people["editor"],
        reviewer=people["reviewer"],
        viewer=people["viewer"],
    )
    project = make_team_project(app, people["editor"], team)
    post_id = make_completed_post(app, people["editor"], project, CONTENT)
    return SimpleNamespace(team=team, project=project, post_id=post_id, **people)


def set_post(app, post_id: str, **values) -> None:
    """Put the post in a given state directly (review_status, status, item_version...)."""
    with app.app_context():
        post = db.session.get(Post, post_id)
        for name, value in values.items():
            setattr(post, name, value)
        db.session.commit()
