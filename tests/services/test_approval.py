"""services.review.approval against the real database: the whole state table (every
allowed step and every refused one), who may take each step, what an approval records,
and what a later content change keeps of it."""

from __future__ import annotations

import itertools

import pytest

from webapp.errors import AppError, ErrorCode
from webapp.extensions import db
from webapp.models import ActivityEvent, Post, PostComment, User
from webapp.services import posts as post_service
from webapp.services.access import InsufficientRole
from webapp.services.review import approval, editing
from webapp.vocabulary import Activity, PostStatus, ReviewAction, ReviewStatus

from ..approval_helpers import MARKDOWN, ROLES, make_review_team, set_post

pytestmark = pytest.mark.usefixtures("db", "held_mail")

ALLOWED = {
    (ReviewStatus.DRAFT, ReviewAction.SUBMIT): ReviewStatus.IN_REVIEW,
    (ReviewStatus.CHANGES_REQUESTED, ReviewAction.SUBMIT): ReviewStatus.IN_REVIEW,
    (ReviewStatus.IN_REVIEW, ReviewAction.APPROVE): ReviewStatus.APPROVED,
    (ReviewStatus.IN_REVIEW, ReviewAction.REQUEST_CHANGES): ReviewStatus.CHANGES_REQUESTED,
    (ReviewStatus.APPROVED, ReviewAction.REQUEST_CHANGES): ReviewStatus.CHANGES_REQUESTED,
}
STEPS = (ReviewAction.SUBMIT, ReviewAction.APPROVE, ReviewAction.REQUEST_CHANGES)
EVERY_PAIR = list(itertools.product(list(ReviewStatus), STEPS))
REFUSED = [pair for pair in EVERY_PAIR if pair not in ALLOWED]
# Who may take each step: editors submit, reviewers decide; owners and admins do both.
MAY = {
    ReviewAction.SUBMIT: {"owner", "admin", "editor"},
    ReviewAction.APPROVE: {"owner", "admin", "reviewer"},
    ReviewAction.REQUEST_CHANGES: {"owner", "admin", "reviewer"},
}


@pytest.fixture
def world(app):
    return make_review_team(app)


def take(app, world, action, role="owner", **options):
    """`role` takes `action` on the post as the pages and the API do; the post after."""
    with app.app_context():
        user = db.session.get(User, getattr(world, role).id)
        post = post_service.get_post_or_404(world.post_id, user, approval.PERMISSIONS[action])
        if action == ReviewAction.SUBMIT:
            approval.submit(post, user)
        elif action == ReviewAction.APPROVE:
            approval.approve(post, user, **options)
        else:
            approval.request_changes(post, user, options.get("comment", "Shorter, please."))
        db.session.refresh(post)
        db.session.expunge(post)
        return post


def error_of(call, *args, **kwargs) -> AppError:
    with pytest.raises(AppError) as caught:
        call(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize(("start", "action"), list(ALLOWED))
def test_each_step_of_the_table_moves_the_post_and_keeps_its_version(app, world, start, action):
    set_post(app, world.post_id, review_status=start, item_version=3)
    post = take(app, world, action)
    assert post.review_status == ALLOWED[(start, action)]
    assert post.item_version == 3


@pytest.mark.parametrize(("start", "action"), REFUSED)
def test_every_other_step_is_invalid_state_naming_the_status(app, world, start, action):
    set_post(app, world.post_id, review_status=start)
    error = error_of(take, app, world, action)
    assert error.code == ErrorCode.INVALID_STATE and error.status == 400
    assert f"The post is {start}" in error.message
    assert error.to_detail()["review_status"] == start
    with app.app_context():
        post = db.session.get(Post, world.post_id)
        assert post.review_status == start and post.approved_version is None


@pytest.mark.parametrize("status", [PostStatus.GENERATING, PostStatus.FAILED])
@pytest.mark.parametrize("action", STEPS)
def test_a_post_not_completed_takes_no_review_step(app, world, status, action):
    start = ReviewStatus.APPROVED if action == ReviewAction.REQUEST_CHANGES else None
    set_post(app, world.post_id, status=status, review_status=start or ReviewStatus.IN_REVIEW)
    if action == ReviewAction.SUBMIT:
        set_post(app, world.post_id, review_status=ReviewStatus.DRAFT)
    error = error_of(take, app, world, action)
    assert error.code == ErrorCode.INVALID_STATE
    assert f"The post is {status}" in error.message


@pytest.mark.parametrize(("action", "role"), list(itertools.product(STEPS, ROLES)))
def test_who_may_take_each_step(app, world, action, role):
    start = {
        ReviewAction.SUBMIT: ReviewStatus.DRAFT,
        ReviewAction.APPROVE: ReviewStatus.IN_REVIEW,
        ReviewAction.REQUEST_CHANGES: ReviewStatus.IN_REVIEW,
    }[action]
    set_post(app, world.post_id, review_status=start)
    if role in MAY[action]:
        assert take(app, world, action, role).review_status == ALLOWED[(start, action)]
    else:
        assert isinstance(error_of(take, app, world, action, role), InsufficientRole)
        with app.app_context():
            assert db.session.get(Post, world.post_id).review_status == start


def test_an_approval_records_its_version_reviewer_time_and_channels(app, world):
    set_post(app, world.post_id, review_status=ReviewStatus.IN_REVIEW, item_version=4)
    post = take(app, world, ReviewAction.APPROVE, "reviewer", channels=["twitter", "linkedin"])
    assert (post.approved_version, post.approved_by) == (4, world.reviewer.id)
    assert post.approved_at is not None
    assert post.approval_channels == ["twitter", "linkedin"]
    with app.app_context():
        event = db.session.execute(
            db.select(ActivityEvent).where(ActivityEvent.action == Activity.POST_APPROVED)
        ).scalar_one()
        assert event.summary == 'Rita approved the blog post "Async standups" (version 4)'
        assert event.actor_id == world.reviewer.id and event.subject_id == world.post_id


def test_approving_a_version_that_is_not_current_is_a_version_conflict(app, world):
    set_post(app, world.post_id, review_status=ReviewStatus.IN_REVIEW, item_version=2)
    error = error_of(take, app, world, ReviewAction.APPROVE, "reviewer", item_version=1)
    assert error.code == ErrorCode.VERSION_CONFLICT and error.status == 409
    assert error.to_detail()["current_version"] == 2
    assert take(app, world, ReviewAction.APPROVE, "reviewer", item_version=2).approved_version == 2


def test_requesting_changes_keeps_the_comment_on_the_post(app, world):
    set_post(app, world.post_id, review_status=ReviewStatus.APPROVED)
    take(app, world, ReviewAction.REQUEST_CHANGES, "reviewer", comment="  Cut the intro.  ")
    with app.app_context():
        (comment,) = db.session.execute(db.select(PostComment)).scalars()
        assert (comment.post_id, comment.author_id) == (world.post_id, world.reviewer.id)
        assert comment.body == "Cut the intro." and comment.quote is None
        actions = db.session.execute(db.select(ActivityEvent.action)).scalars().all()
        assert Activity.POST_CHANGES_REQUESTED in actions


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_requesting_changes_needs_a_comment(app, world, comment):
    set_post(app, world.post_id, review_status=ReviewStatus.IN_REVIEW)
    error = error_of(take, app, world, ReviewAction.REQUEST_CHANGES, "reviewer", comment=comment)
    assert error.code == ErrorCode.VALIDATION_ERROR
    assert error.errors[0]["loc"] == ["body", "comment"]
    with app.app_context():
        assert db.session.get(Post, world.post_id).review_status == ReviewStatus.IN_REVIEW
        assert db.session.execute(db.select(PostComment)).first() is None


def test_submitting_records_the_event(app, world):
    take(app, world, ReviewAction.SUBMIT, "editor")
    with app.app_context():
        event = db.session.execute(
            db.select(ActivityEvent).where(ActivityEvent.action == Activity.POST_SUBMITTED)
        ).scalar_one()
        assert event.summary == 'Ed submitted for review the blog post "Async standups"'


def test_a_content_change_after_approval_returns_to_draft_and_keeps_the_record(app, world):
    take(app, world, ReviewAction.SUBMIT, "editor")
    approved = take(app, world, ReviewAction.APPROVE, "reviewer", item_version=1)
    with app.app_context():
        user = db.session.get(User, world.editor.id)
        post = db.session.get(Post, world.post_id)
        assert approval.is_approved_as_is(post)
        editing.edit(post, user, item_version=1, content={"markdown": MARKDOWN + "\nMore.\n"})
        assert post.review_status == ReviewStatus.DRAFT and post.item_version == 2
        assert (post.approved_version, post.approved_by) == (1, world.reviewer.id)
        assert post.approved_at == approved.approved_at
        assert not approval.is_approved_as_is(post)
    # Submitted again, it is approved at its new version.
    take(app, world, ReviewAction.SUBMIT, "editor")
    assert take(app, world, ReviewAction.APPROVE, "admin").approved_version == 2


def test_allowed_actions_follow_the_state(app, world):
    with app.app_context():
        post = db.session.get(Post, world.post_id)
        assert approval.allowed_actions(post) == [ReviewAction.SUBMIT]
        post.review_status = ReviewStatus.IN_REVIEW
        assert approval.allowed_actions(post) == [
            ReviewAction.APPROVE,
            ReviewAction.REQUEST_CHANGES,
        ]
        post.status = PostStatus.FAILED
        assert approval.allowed_actions(post) == []
