"""Review mail, sent by the worker's code from the outbox: reviewers hear of a submitted
post, its author of an approval or requested changes, members of an @mention; never of
what they did themselves, and not at all once they turned that mail off."""

from __future__ import annotations

import pytest

from webapp.extensions import db
from webapp.models import Membership, Post, PostComment, User
from webapp.services.review import approval, notifications
from webapp.vocabulary import ReviewStatus

from ..approval_helpers import make_review_team, set_post

pytestmark = pytest.mark.usefixtures("db")
LINK = "http://127.0.0.1:8000/posts/{id}"


@pytest.fixture
def world(app, held_mail):
    return make_review_team(app)


def act(app, world, role, step, *args):
    with app.app_context():
        user = db.session.get(User, getattr(world, role).id)
        getattr(approval, step)(db.session.get(Post, world.post_id), user, *args)


def set_flags(app, person, **flags):
    with app.app_context():
        user = db.session.get(User, person.id)
        notifications.set_preferences(user, flags.get("review"), flags.get("mentions"))


def sent(outbox) -> dict[str, tuple[str, str]]:
    return {m["To"]: (m["Subject"], m.get_content()) for m in outbox.send_here()}


def test_a_submitted_post_is_mailed_to_the_workspaces_reviewers(app, world, outbox):
    act(app, world, "editor", "submit")
    mail = sent(outbox)
    # Owner, admin and reviewer may approve; the viewer and the submitter hear nothing.
    assert sorted(mail) == ["ada@example.com", "olga@example.com", "rita@example.com"]
    subject, text = mail["rita@example.com"]
    assert subject == "Ed asks for your review of “Async standups”"
    assert "Ed submitted the blog post “Async standups” for review." in text
    assert LINK.format(id=world.post_id) in text


def test_a_submitter_who_reviews_is_not_told_of_their_own_step(app, world, outbox):
    act(app, world, "admin", "submit")
    assert sorted(sent(outbox)) == ["olga@example.com", "rita@example.com"]


def test_the_author_hears_of_an_approval_and_of_requested_changes(app, world, outbox):
    set_post(app, world.post_id, review_status=ReviewStatus.IN_REVIEW, item_version=2)
    act(app, world, "reviewer", "approve")
    ((to, (subject, text)),) = sent(outbox).items()
    assert to == "ed@example.com" and subject == "Rita approved “Async standups”"
    assert "Rita approved the blog post “Async standups” (version 2)." in text
    assert LINK.format(id=world.post_id) in text
    outbox.clear()

    act(app, world, "owner", "request_changes", "Cut the intro.\nAnd the outro.")
    ((to, (subject, text)),) = sent(outbox).items()
    assert to == "ed@example.com" and subject == "Olga requested changes to “Async standups”"
    assert "Olga requested changes to the blog post “Async standups”:" in text
    assert "> Cut the intro.\n> And the outro." in text


def test_an_author_deciding_on_their_own_post_gets_no_mail(app, world, outbox):
    set_post(app, world.post_id, user_id=world.owner.id, review_status=ReviewStatus.IN_REVIEW)
    act(app, world, "owner", "approve")
    assert sent(outbox) == {}


def test_an_author_who_left_the_workspace_gets_no_mail(app, world, outbox):
    with app.app_context():
        db.session.execute(
            db.delete(Membership).where(
                Membership.user_id == world.editor.id, Membership.workspace_id == world.team.id
            )
        )
        db.session.commit()
    set_post(app, world.post_id, review_status=ReviewStatus.IN_REVIEW)
    act(app, world, "reviewer", "approve")
    assert sent(outbox) == {}


def test_people_who_turned_review_mail_off_get_none(app, world, outbox):
    set_flags(app, world.reviewer, review=False)
    set_flags(app, world.editor, review=False, mentions=True)
    act(app, world, "editor", "submit")
    act(app, world, "owner", "approve")
    # Rita hears nothing of the submit, Ed nothing of the approval.
    assert sorted(sent(outbox)) == ["ada@example.com", "olga@example.com"]


def test_turning_mail_off_also_stops_mail_still_waiting(app, world, outbox):
    act(app, world, "editor", "submit")
    assert len([r for r in outbox.rows() if r.kind == notifications.REVIEW_KIND]) == 3
    set_flags(app, world.owner, review=False)
    assert sorted(sent(outbox)) == ["ada@example.com", "rita@example.com"]
    assert [r.status for r in outbox.rows()] == ["sent", "sent"]  # Olga's was dropped


def mention(app, world, author, names, body="What do you think, @Rita?", guest=None):
    with app.app_context():
        post = db.session.get(Post, world.post_id)
        comment = PostComment(
            post_id=post.id,
            author_id=author.id if author else None,
            guest_name=guest,
            body=body,
        )
        db.session.add(comment)
        db.session.commit()
        users = [db.session.get(User, getattr(world, name).id) for name in names]
        return notifications.notify_mentioned(post, comment, users)


def test_mentioned_members_are_mailed_except_the_author_and_those_who_opted_out(app, world, outbox):
    set_flags(app, world.viewer, mentions=False)
    set_flags(app, world.admin, review=False)  # review mail only: mentions still come
    assert mention(app, world, world.editor, ["reviewer", "viewer", "editor", "admin"]) == 2
    mail = sent(outbox)
    assert sorted(mail) == ["ada@example.com", "rita@example.com"]
    subject, text = mail["rita@example.com"]
    assert subject == "Ed mentioned you on “Async standups”"
    assert "Ed mentioned you in a comment on the blog post “Async standups”:" in text
    assert "> What do you think, @Rita?" in text
    assert LINK.format(id=world.post_id) in text


def test_a_guest_mention_names_the_guest(app, world, outbox):
    mention(app, world, None, ["reviewer"], body="Hi @Rita", guest="Carla")
    ((to, (subject, _)),) = sent(outbox).items()
    assert to == "rita@example.com" and subject == "Carla (guest) mentioned you on “Async standups”"
