"""Editing a post through the API: PATCH /posts/{id} with optimistic locking, each
channel's source of truth, citations surviving edits, and the review status a content
change resets."""

from __future__ import annotations

import pytest

from webapp.errors import AppError
from webapp.extensions import db
from webapp.models import Post
from webapp.services.review import editing

from ..factories import add_member, make_team_project
from ..review_factories import BLOG_MARKDOWN, make_reviewable_post
from ..voice_helpers import person
from ..workspace_helpers import make_workspace

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def team(app, client):
    """An owner, an editor and a viewer of one workspace, and an outsider; headers by role."""
    owner, owner_headers = person(app, "owner@example.com", plan="pro")
    workspace = make_workspace(app, owner, "Team")
    headers = {"owner": owner_headers}
    for role in ("editor", "viewer"):
        user, headers[role] = person(app, f"{role}@example.com")
        add_member(app, workspace, user, role)
    headers["outsider"] = person(app, "outsider@example.com")[1]
    project = make_team_project(app, workspace, owner)

    class Team:
        pass

    Team.owner, Team.project, Team.headers = owner, project, headers
    return Team


def post_of(app, team, channel="blog", **fields) -> str:
    return make_reviewable_post(app, team.owner, team.project, channel, **fields)


def patch(client, team, post_id, role="editor", **body):
    return client.patch(f"/api/v1/posts/{post_id}", headers=team.headers[role], json=body)


def test_an_edit_of_the_markdown_rederives_the_blog_post_and_bumps_its_version(app, client, team):
    post_id = post_of(app, team)
    markdown = BLOG_MARKDOWN.replace(
        "People answer when they are free.", "People answer when they are free, from anywhere."
    ).replace("## Why it works", "## Why async works")
    response = patch(client, team, post_id, item_version=1, content={"markdown": markdown})
    assert response.status_code == 200, response.get_json()
    post = response.get_json()
    assert post["item_version"] == 2
    content = post["content"]
    assert content["markdown"] == markdown
    assert content["title"] == "Async standups"
    assert content["introduction"] == "Teams that write things down meet less often.[1]"
    assert [s["heading"] for s in content["sections"]] == ["Why async works"]
    assert content["conclusion"] == "Try it for two weeks."
    assert content["word_count"] == post["word_count"] == 37
    assert [c["n"] for c in content["citations"]] == [1, 2]


def test_a_stale_save_is_refused_with_the_current_version_and_changes_nothing(app, client, team):
    post_id = post_of(app, team)
    first = BLOG_MARKDOWN.replace("Try it for two weeks.", "Try it for a month.")
    assert (
        patch(client, team, post_id, item_version=1, content={"markdown": first}).status_code == 200
    )
    second = BLOG_MARKDOWN.replace("Try it for two weeks.", "Try it today.")
    response = patch(client, team, post_id, "owner", item_version=1, content={"markdown": second})
    assert response.status_code == 409
    detail = response.get_json()["detail"]
    assert detail["code"] == "VERSION_CONFLICT"
    assert detail["current_version"] == 2
    post = client.get(f"/api/v1/posts/{post_id}", headers=team.headers["viewer"]).get_json()
    assert "Try it for a month." in post["content"]["markdown"]
    assert post["item_version"] == 2


def test_of_two_saves_made_from_one_version_exactly_one_lands(app, team):
    """The version check and the write are one statement: a save whose post object is
    stale in memory still cannot overwrite a change committed meanwhile."""
    post_id = post_of(app, team)
    with app.app_context():
        stale = db.session.get(Post, post_id)
        assert stale.item_version == 1
        with db.engine.begin() as other:  # another request lands first
            other.execute(db.update(Post).where(Post.id == post_id).values(item_version=2))
        content = dict(stale.content, markdown=BLOG_MARKDOWN + "\nMore.\n")
        with pytest.raises(AppError) as refused:
            editing.change_content(stale, None, content, "Edited", 1)
        assert refused.value.code == "VERSION_CONFLICT"
        assert refused.value.extra["current_version"] == 2
        db.session.expire_all()
        assert "More." not in db.session.get(Post, post_id).content["markdown"]


def test_a_title_rewrites_the_title_line(app, client, team):
    post_id = post_of(app, team)
    response = patch(client, team, post_id, item_version=1, title="  Standups,   written down ")
    content = response.get_json()["content"]
    assert content["title"] == "Standups, written down"
    assert content["markdown"].startswith("# Standups, written down\n\nTeams that write")


def test_markdown_without_a_title_line_keeps_the_title(app, client, team):
    post_id = post_of(app, team)
    response = patch(client, team, post_id, item_version=1, content={"markdown": "Just text.[1]"})
    content = response.get_json()["content"]
    assert content["markdown"] == "# Async standups\n\nJust text.[1]\n"
    assert content["sections"] == [] and content["introduction"] == "Just text.[1]"


@pytest.mark.parametrize(
    ("channel", "field"),
    [
        ("blog", "introduction"),
        ("blog", "word_count"),
        ("blog", "thread"),
        ("email", "body"),
        ("twitter", "markdown"),
        ("linkedin", "markdown"),
    ],
)
def test_a_derived_field_is_refused(app, client, team, channel, field):
    post_id = post_of(app, team, channel)
    value = ["x"] if field == "thread" else 3 if field == "word_count" else "x"
    response = patch(client, team, post_id, item_version=1, content={field: value})
    assert response.status_code == 400
    detail = response.get_json()["detail"]
    assert detail["code"] == "VALIDATION_ERROR"
    assert detail["errors"][0]["loc"][:3] == ["body", "content", field]


def test_a_thread_is_edited_item_by_item_and_each_stays_within_280(app, client, team):
    post_id = post_of(app, team, "twitter")
    response = patch(client, team, post_id, item_version=1, content={"thread": ["One.", "x" * 281]})
    assert response.status_code == 400
    error = response.get_json()["detail"]["errors"][0]
    assert error["loc"] == ["body", "content", "thread", 1]
    assert "281 characters" in error["msg"]
    response = patch(client, team, post_id, item_version=1, content={"thread": ["One.", "Two."]})
    content = response.get_json()["content"]
    assert content["thread"] == ["One.", "Two."]
    assert content["markdown"] == "# Async standups\n\nOne.\n\nTwo.\n"
    assert content["word_count"] == 2


def test_a_linkedin_post_holds_at_most_3000_characters(app, client, team):
    post_id = post_of(app, team, "linkedin")
    response = patch(client, team, post_id, item_version=1, content={"text": "y" * 3001})
    assert response.status_code == 400
    assert response.get_json()["detail"]["errors"][0]["loc"] == ["body", "content", "text"]
    response = patch(client, team, post_id, item_version=1, content={"text": "Short and new."})
    assert response.get_json()["content"]["text"] == "Short and new."


def test_an_email_takes_its_subject_and_preheader_and_rederives_its_body(app, client, team):
    post_id = post_of(app, team, "email")
    markdown = "# Async standups\n\nHello team.\n"
    response = patch(
        client,
        team,
        post_id,
        item_version=1,
        content={"markdown": markdown, "subject": "Meet less", "preheader": "Two weeks"},
    )
    content = response.get_json()["content"]
    assert (content["subject"], content["preheader"]) == ("Meet less", "Two weeks")
    assert content["body"] == "Hello team."


def test_an_edit_over_200000_characters_is_413(app, client, team):
    post_id = post_of(app, team)
    response = patch(
        client, team, post_id, item_version=1, content={"markdown": "# T\n\n" + "w " * 100_000}
    )
    assert response.status_code == 413
    assert response.get_json()["detail"]["code"] == "PAYLOAD_TOO_LARGE"


def test_citations_survive_edits_without_being_renumbered(app, client, team):
    post_id = post_of(app, team)
    markdown = BLOG_MARKDOWN.replace("often.[1]", "often.").replace("person.[2]", "person.[2][7]")
    response = patch(client, team, post_id, item_version=1, content={"markdown": markdown})
    content = response.get_json()["content"]
    assert [c["n"] for c in content["citations"]] == [2]  # [1]'s marker went, [7] named nothing
    assert "person.[2] People" in content["markdown"]
    assert "[7]" not in content["markdown"] and "[1]" not in content["markdown"]
    assert content["sections"][0]["content"].startswith("Asynchronous standups save")


def test_a_content_change_sends_an_approved_post_back_to_draft_keeping_the_record(
    app, client, team
):
    post_id = post_of(app, team, review_status="approved", approved_version=1)
    response = patch(client, team, post_id, item_version=1, title="New title")
    post = response.get_json()
    assert post["review_status"] == "draft"
    assert post["approved_version"] == 1 and post["item_version"] == 2


def test_saving_the_same_content_adds_no_version(app, client, team):
    post_id = post_of(app, team)
    response = patch(client, team, post_id, item_version=1, content={"markdown": BLOG_MARKDOWN})
    assert response.get_json()["item_version"] == 1


def test_who_may_edit(app, client, team):
    post_id = post_of(app, team)
    body = {"item_version": 1, "title": "Mine"}
    assert patch(client, team, post_id, "viewer", **body).status_code == 403
    outsider = patch(client, team, post_id, "outsider", **body)
    assert outsider.status_code == 404
    assert outsider.get_json()["detail"]["code"] == "POST_NOT_FOUND"


def test_a_post_still_generating_cannot_be_edited(app, client, team):
    post_id = post_of(app, team)
    with app.app_context():
        db.session.get(Post, post_id).status = "generating"
        db.session.commit()
    response = patch(client, team, post_id, item_version=1, title="Early")
    assert response.status_code == 400
    assert response.get_json()["detail"]["code"] == "INVALID_STATE"


def test_script_in_an_edit_is_shown_as_text_on_the_post_page(app, client, auth, team):
    post_id = post_of(app, team)
    markdown = BLOG_MARKDOWN + "\n<script>alert(1)</script> <img src=x onerror=alert(2)>\n"
    assert (
        patch(client, team, post_id, item_version=1, content={"markdown": markdown}).status_code
        == 200
    )
    assert auth.login_page("owner@example.com").status_code in (302, 303)
    page = client.get(f"/posts/{post_id}").get_data(as_text=True)
    assert "Try it for two weeks." in page
    assert "<script>alert(1)" not in page and "<img src=x onerror" not in page
