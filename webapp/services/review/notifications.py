"""Review mail: reviewers when a post is submitted, its author when it is approved or
changes are requested, members when a comment @mentions them.

Each message is stored in the outbox and sent by the worker (services.mail). A person
who turned the kind off (`User.notify_review`, `User.notify_mentions`) gets none: the
flag is checked when the mail is queued and again when the worker writes it, so turning
it off also stops mail still waiting. Nobody is told of what they did themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...config import public_url
from ...extensions import db
from ...models import Membership, OutboxMessage, Post, PostComment, User
from ...vocabulary import ReviewAction
from .. import accounts, activity, mail
from ..access import ROLE_PERMISSIONS, Permission

REVIEW_KIND = "review_notice"
MENTION_KIND = "mention_notice"
# The account flag each kind of mail obeys.
FLAGS = {REVIEW_KIND: "notify_review", MENTION_KIND: "notify_mentions"}
QUOTE_MAX = 1000
REVIEWER_ROLES = sorted(r.value for r, p in ROLE_PERMISSIONS.items() if Permission.REVIEW in p)


def post_link(post: Post) -> str:
    """The post's page, absolute under BASE_URL."""
    return public_url(f"/posts/{post.id}")


def review_action(post: Post, actor: User, action: ReviewAction, comment: str | None) -> int:
    """Mail those whom `action` (just committed) concerns: the workspace's reviewers on a
    submit, the post's author on an approval or requested changes. Returns how many
    messages were queued (commits)."""
    if action == ReviewAction.SUBMIT:
        recipients = reviewers_of(post)
    else:
        recipients = [u for u in [author_of(post)] if u is not None]
    subject, text = _review_mail(post, actor, action, comment)
    return _queue(REVIEW_KIND, recipients, actor, subject, text)


def notify_mentioned(post: Post, comment: PostComment, users: Iterable[User]) -> int:
    """Mail each of `users` (workspace members the comment @mentions) that `comment` on
    `post` names them, except its author and those who turned mention mail off. Call it
    once the comment is committed. Returns how many messages were queued (commits)."""
    author = comment.author
    who = author.name if author is not None else f"{comment.guest_name or 'A guest'} (guest)"
    subject = f"{who} mentioned you on “{_title(post)}”"
    text = (
        f"{who} mentioned you in a comment on the {activity.post_noun(post)} "
        f"“{_title(post)}”:\n\n{_quoted(comment.body)}\n\n"
        f"Open the post: {post_link(post)}\n\n{_footer()}"
    )
    return _queue(MENTION_KIND, users, author, subject, text)


def reviewers_of(post: Post) -> list[User]:
    """The members of the post's workspace whose role may approve (reviewer, admin,
    owner)."""
    return list(
        db.session.execute(
            db.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.workspace_id == post.project.workspace_id,
                Membership.role.in_(REVIEWER_ROLES),
            )
            .order_by(User.email)
        ).scalars()
    )


def author_of(post: Post) -> User | None:
    """The post's author while they are still a member of its workspace."""
    return db.session.execute(
        db.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(User.id == post.user_id, Membership.workspace_id == post.project.workspace_id)
    ).scalar_one_or_none()


def set_preferences(user: User, review: bool | None = None, mentions: bool | None = None) -> User:
    """Turn review mail and mention mail on or off (None: leave as it is)."""
    if review is not None:
        user.notify_review = review
    if mentions is not None:
        user.notify_mentions = mentions
    db.session.commit()
    return user


def _queue(kind: str, users: Iterable[User], actor: User | None, subject: str, text: str) -> int:
    flag = FLAGS[kind]
    recipients = {u.id: u for u in users if u is not None and getattr(u, flag)}
    if actor is not None:
        recipients.pop(actor.id, None)
    for user in recipients.values():
        mail.queue_mail(kind, user.email, subject[:255], text)
    return len(recipients)


def _review_mail(
    post: Post, actor: User, action: ReviewAction, comment: str | None
) -> tuple[str, str]:
    title, noun = _title(post), activity.post_noun(post)
    if action == ReviewAction.SUBMIT:
        subject = f"{actor.name} asks for your review of “{title}”"
        what = f"{actor.name} submitted the {noun} “{title}” for review."
    elif action == ReviewAction.APPROVE:
        subject = f"{actor.name} approved “{title}”"
        what = f"{actor.name} approved the {noun} “{title}” (version {post.approved_version})."
    else:
        subject = f"{actor.name} requested changes to “{title}”"
        what = f"{actor.name} requested changes to the {noun} “{title}”:\n\n{_quoted(comment)}"
    return subject, f"{what}\n\nOpen the post: {post_link(post)}\n\n{_footer()}"


def _title(post: Post) -> str:
    title = (post.content or {}).get("title") or post.topic
    return " ".join(title.split())[:120]


def _quoted(text: str | None) -> str:
    text = (text or "").strip()
    if len(text) > QUOTE_MAX:
        text = text[: QUOTE_MAX - 1].rstrip() + "…"
    return "\n".join(f"> {line}" for line in text.splitlines())


def _footer() -> str:
    return "You can turn these emails off in your Copydesk settings (Notifications).\n\nCopydesk\n"


def _compose(message: OutboxMessage) -> tuple[str, str, str] | None:
    """The stored mail, unless its recipient has no account any more or turned this kind
    of mail off since it was queued."""
    user = accounts.find_user_by_email(message.recipient)
    if user is None or not getattr(user, FLAGS[message.kind]):
        return None
    return message.recipient, message.subject, message.body or ""


mail.composer(REVIEW_KIND)(_compose)
mail.composer(MENTION_KIND)(_compose)
