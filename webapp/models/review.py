"""Review: what a team does with a draft after it is written (revisions, model
suggestions, comments, share links)."""

from __future__ import annotations

from ..extensions import db
from ..timeutil import utcnow
from ..vocabulary import SuggestionStatus
from .base import TimestampMixin, id_column


def post_fk():
    return db.Column(
        db.String(24), db.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False, index=True
    )


def kept_user_fk():
    """A person named on a record that outlives their account (null once it is deleted)."""
    return db.Column(
        db.String(24), db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )


class PostRevision(db.Model):
    """One version of a post's content: revision 1 is the generated draft, each content
    change (edit, accepted suggestion, restore) adds the next."""

    __tablename__ = "post_revisions"
    __table_args__ = (
        db.UniqueConstraint("post_id", "item_version", name="uq_post_revisions_version"),
    )

    id = id_column()
    post_id = post_fk()
    item_version = db.Column(db.Integer, nullable=False)
    author_id = kept_user_fk()  # null: the generator, or a deleted account
    summary = db.Column(db.String(200), nullable=False)
    word_count = db.Column(db.Integer, nullable=False, default=0)
    content = db.Column(db.JSON, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)

    author = db.relationship("User")


class PostSuggestion(TimestampMixin, db.Model):
    """A change the model proposes for one quoted passage (an `ai_edit` job writes it)."""

    __tablename__ = "post_suggestions"

    id = id_column()
    post_id = post_fk()
    job_id = db.Column(db.String(24), nullable=True, index=True)
    user_id = kept_user_fk()
    action = db.Column(db.String(16), nullable=False)
    quote = db.Column(db.Text, nullable=False)
    instructions = db.Column(db.Text, nullable=True)
    tone = db.Column(db.String(64), nullable=True)
    replacement = db.Column(db.Text, nullable=True)
    status = db.Column(db.String(16), nullable=False, default=SuggestionStatus.PENDING)
    error_message = db.Column(db.Text, nullable=True)

    post = db.relationship("Post")


class PostComment(TimestampMixin, db.Model):
    """A comment on a post, or on a quoted passage of it; a reply names its `parent_id`.
    A guest on a share link has no account: `author_id` is null and `guest_name` set."""

    __tablename__ = "post_comments"

    id = id_column()
    post_id = post_fk()
    parent_id = db.Column(
        db.String(24), db.ForeignKey("post_comments.id", ondelete="CASCADE"), nullable=True
    )
    author_id = kept_user_fk()
    guest_name = db.Column(db.String(80), nullable=True)
    body = db.Column(db.Text, nullable=False)
    quote = db.Column(db.Text, nullable=True)
    resolved = db.Column(db.Boolean, nullable=False, default=False)
    # Its quote is no longer in the post (set when the content changes).
    outdated = db.Column(db.Boolean, nullable=False, default=False)

    author = db.relationship("User")


class ShareLink(db.Model):
    """A read-only link to a post for someone without an account. Only the token's hash
    is stored; at most one link of a post is active (not revoked, not expired)."""

    __tablename__ = "share_links"

    id = id_column()
    post_id = post_fk()
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_by = kept_user_fk()
    allow_comments = db.Column(db.Boolean, nullable=False, default=False)
    expires_at = db.Column(db.DateTime, nullable=False)
    revoked_at = db.Column(db.DateTime, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    post = db.relationship("Post")
