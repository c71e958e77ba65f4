"""The review panel of a post's page: its status, the last approval, and the buttons
each role and state allow; the forms work without JavaScript (post, flash, back to the
post). Also the review settings: the notification toggles and "Require approval"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from webapp.extensions import db
from webapp.models import Post, PostComment, Project, User
from webapp.timeutil import utcnow
from webapp.vocabulary import ReviewStatus

from ..approval_helpers import make_review_team, set_post
from ..factories import DEFAULT_PASSWORD
from ..fixtures.http_client import csrf_token_from

pytestmark = pytest.mark.usefixtures("db", "held_mail")

SUBMIT, APPROVE, CHANGES = "Submit for review", "Approve version", "Request changes</button>"
# What each role is offered in each review state.
OFFERED = {
    ReviewStatus.DRAFT: {
        "owner": {SUBMIT},
        "admin": {SUBMIT},
        "editor": {SUBMIT},
        "reviewer": set(),
        "viewer": set(),
    },
    ReviewStatus.IN_REVIEW: {
        "owner": {APPROVE, CHANGES},
        "admin": {APPROVE, CHANGES},
        "editor": set(),
        "reviewer": {APPROVE, CHANGES},
        "viewer": set(),
    },
    ReviewStatus.APPROVED: {
        "owner": {CHANGES},
        "admin": {CHANGES},
        "editor": set(),
        "reviewer": {CHANGES},
        "viewer": set(),
    },
    ReviewStatus.CHANGES_REQUESTED: {
        "owner": {SUBMIT},
        "admin": {SUBMIT},
        "editor": {SUBMIT},
        "reviewer": set(),
        "viewer": set(),
    },
}


@pytest.fixture
def world(app):
    return make_review_team(app)


def browser_of(app, person):
    """A browser of its own, signed in as `person` through the form."""
    browser = app.test_client()
    data = {
        "email": person.email,
        "password": DEFAULT_PASSWORD,
        "csrf_token": csrf_token_from(browser.get("/login")),
    }
    assert browser.post("/login", data=data).status_code == 302
    return browser


def review_panel(browser, post_id) -> str:
    page = browser.get(f"/posts/{post_id}").get_data(as_text=True)
    return re.search(r'<section class="post-review".*?</section>', page, re.S).group(0)


def post_form(browser, post_id, step, **data):
    token = csrf_token_from(browser.get(f"/posts/{post_id}"))
    return browser.post(f"/posts/{post_id}/{step}", data={"csrf_token": token, **data})


@pytest.mark.parametrize("state", list(OFFERED))
def test_each_role_is_offered_the_steps_its_role_and_the_state_allow(app, world, state):
    set_post(app, world.post_id, review_status=state)
    labels = {
        ReviewStatus.DRAFT: "Draft",
        ReviewStatus.IN_REVIEW: "In review",
        ReviewStatus.APPROVED: "Approved",
        ReviewStatus.CHANGES_REQUESTED: "Changes requested",
    }
    for role, offered in OFFERED[state].items():
        panel = review_panel(browser_of(app, getattr(world, role)), world.post_id)
        assert f'data-review-status="{state}">{labels[state]}</span>' in panel
        shown = {label for label in (SUBMIT, APPROVE, CHANGES) if label in panel}
        assert shown == offered, (state, role)
        assert ("<textarea" in panel) == (CHANGES in offered)


def test_a_reviewer_approves_through_the_form_and_the_record_shows(app, world):
    set_post(app, world.post_id, review_status=ReviewStatus.IN_REVIEW)
    rita = browser_of(app, world.reviewer)
    response = post_form(rita, world.post_id, "approve", item_version="1")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/posts/{world.post_id}")
    page = rita.get(f"/posts/{world.post_id}").get_data(as_text=True)
    assert "Approved version 1." in page  # the flash
    panel = review_panel(rita, world.post_id)
    assert 'data-review-status="approved">Approved</span>' in panel
    assert re.search(r"Approved version 1 by Rita,\s*<time[^>]*>just now</time>", panel)
    assert "earlier version" not in panel


def test_the_record_says_when_the_approval_was_of_an_earlier_version(app, world):
    set_post(
        app,
        world.post_id,
        approved_version=3,
        approved_by=world.reviewer.id,
        approved_at=utcnow() - timedelta(hours=2, minutes=5),
        item_version=4,
    )
    panel = review_panel(browser_of(app, world.viewer), world.post_id)
    assert re.search(r"Approved version 3 by Rita,\s*<time[^>]*>2 hours ago</time>", panel)
    assert "That approval was of an earlier version</strong>: this is version 4." in panel


def test_approving_from_a_stale_page_is_refused_with_a_message(app, world):
    set_post(app, world.post_id, review_status=ReviewStatus.IN_REVIEW, item_version=2)
    rita = browser_of(app, world.reviewer)
    response = post_form(rita, world.post_id, "approve", item_version="1")
    assert response.status_code == 302
    page = rita.get(f"/posts/{world.post_id}").get_data(as_text=True)
    assert "it is now at version 2" in page
    with app.app_context():
        assert db.session.get(Post, world.post_id).review_status == ReviewStatus.IN_REVIEW


def test_an_editor_submits_and_a_reviewer_requests_changes_with_a_comment(app, world):
    ed = browser_of(app, world.editor)
    assert post_form(ed, world.post_id, "submit").status_code == 302
    assert "Submitted for review" in ed.get(f"/posts/{world.post_id}").get_data(as_text=True)

    rita = browser_of(app, world.reviewer)
    response = post_form(rita, world.post_id, "request-changes", comment="   ")
    assert response.status_code == 302
    assert "Say what should change." in rita.get(f"/posts/{world.post_id}").get_data(as_text=True)

    post_form(rita, world.post_id, "request-changes", comment="Cut the <b>intro</b>.")
    page = rita.get(f"/posts/{world.post_id}").get_data(as_text=True)
    assert "Changes requested: the author was told." in page
    with app.app_context():
        post = db.session.get(Post, world.post_id)
        assert post.review_status == ReviewStatus.CHANGES_REQUESTED
        (comment,) = db.session.execute(db.select(PostComment)).scalars()
        assert comment.body == "Cut the <b>intro</b>." and comment.author_id == world.reviewer.id


def test_a_step_the_role_does_not_allow_is_forbidden_and_changes_nothing(app, world):
    set_post(app, world.post_id, review_status=ReviewStatus.IN_REVIEW)
    for person, step in ((world.viewer, "approve"), (world.editor, "approve")):
        assert post_form(browser_of(app, person), world.post_id, step).status_code == 403
    assert post_form(browser_of(app, world.reviewer), world.post_id, "submit").status_code == 403
    with app.app_context():
        assert db.session.get(Post, world.post_id).review_status == ReviewStatus.IN_REVIEW


def test_a_form_without_its_csrf_token_changes_nothing(app, world):
    ed = browser_of(app, world.editor)
    assert ed.post(f"/posts/{world.post_id}/submit").status_code in (302, 400)
    with app.app_context():
        assert db.session.get(Post, world.post_id).review_status == ReviewStatus.DRAFT


def test_the_notification_settings_turn_review_and_mention_mail_off(app, world):
    rita = browser_of(app, world.reviewer)
    page = rita.get("/settings/notifications").get_data(as_text=True)
    assert 'name="notify_review"' in page and 'name="notify_mentions"' in page
    assert page.count("checked") == 2
    token = csrf_token_from(rita.get("/settings/notifications"))
    response = rita.post(
        "/settings/notifications", data={"csrf_token": token, "notify_mentions": "y"}
    )
    assert response.status_code == 302
    page = rita.get("/settings/notifications").get_data(as_text=True)
    assert "Notification settings saved." in page and page.count("checked") == 1
    with app.app_context():
        user = db.session.get(User, world.reviewer.id)
        assert (user.notify_review, user.notify_mentions) == (False, True)


def test_an_editor_requires_approval_on_the_projects_edit_page(app, world):
    ed = browser_of(app, world.editor)
    url = f"/projects/{world.project.id}/edit"
    form = ed.get(url).get_data(as_text=True)
    assert 'name="approval_required"' in form and "Require approval" in form
    data = {"csrf_token": csrf_token_from(ed.get(url)), "name": "Launch"}
    assert ed.post(url, data={**data, "approval_required": "y"}).status_code == 302
    assert "Approval required" in ed.get(f"/projects/{world.project.id}").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Project, world.project.id).approval_required is True
    ed.post(url, data=data)
    with app.app_context():
        assert db.session.get(Project, world.project.id).approval_required is False
