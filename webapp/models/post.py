"""Posts: what a content_generation job writes, and the team reviews."""

from __future__ import annotations

from ..extensions import db
from ..vocabulary import Channel, Length, PostStatus, ReviewStatus, Workflow
from .base import TimestampMixin, id_column, user_fk

POST_STATUSES = tuple(PostStatus)
REVIEW_STATUSES = tuple(ReviewStatus)
TARGET_LENGTHS = tuple(Length)
CHANNELS = tuple(Channel)


class Post(TimestampMixin, db.Model):
    __tablename__ = "posts"
    __table_args__ = (db.Index("ix_posts_project_created", "project_id", "created_at"),)

    id = id_column()
    project_id = db.Column(
        db.String(24), db.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id = user_fk()
    job_id = db.Column(db.String(24), nullable=True, index=True)
    # The workflow that wrote it, and its place among the posts of its job (0: the main
    # one, e.g. a campaign's blog post; a bulk job's rows in spreadsheet order).
    workflow = db.Column(
        db.String(32), nullable=False, default=Workflow.BLOG_POST, server_default="blog_post"
    )
    position = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    topic = db.Column(db.String(200), nullable=False)
    voice = db.Column(db.String(32), nullable=False)
    target_length = db.Column(db.String(8), nullable=False, default=Length.MEDIUM)
    channel = db.Column(db.String(16), nullable=False, default=Channel.BLOG)
    custom_instructions = db.Column(db.Text, nullable=True)
    source_ids = db.Column(db.JSON, nullable=False, default=list)
    metadata_ = db.Column("metadata", db.JSON, nullable=False, default=dict)
    # The channel-shaped content object of the API (title, sections, markdown, word_count...).
    content = db.Column(db.JSON, nullable=True)
    word_count = db.Column(db.Integer, nullable=True)
    # What the writer could not do: [{"code": PostWarning, "message"}], empty when nothing.
    warnings = db.Column(db.JSON, nullable=False, default=list, server_default=db.text("'[]'"))
    # Internal links inserted: [{"target_url", "anchor_text", "keyword"}].
    links = db.Column(db.JSON, nullable=False, default=list)
    status = db.Column(db.String(16), nullable=False, default=PostStatus.GENERATING)
    review_status = db.Column(db.String(24), nullable=False, default=ReviewStatus.DRAFT)
    item_version = db.Column(db.Integer, nullable=False, default=1)
    # The last approval, kept as its record after later edits (services.review.approval).
    approved_version = db.Column(db.Integer, nullable=True)
    approved_by = db.Column(db.String(24), nullable=True)  # a user id
    approved_at = db.Column(db.DateTime, nullable=True)
    # The channels an approval names (reference 000's approve body), kept for publishing.
    approval_channels = db.Column(db.JSON, nullable=True)
    error_message = db.Column(db.Text, nullable=True)
    model = db.Column(db.String(200), nullable=True)
    prompt_tokens = db.Column(db.Integer, nullable=False, default=0)
    completion_tokens = db.Column(db.Integer, nullable=False, default=0)
    cost_usd = db.Column(db.Numeric(12, 6), nullable=False, default=0)
    charged = db.Column(db.Boolean, nullable=False, default=False)
    # Requested with a test-mode API key: offline writer, no quota charged.
    test_mode = db.Column(db.Boolean, nullable=False, default=False)

    project = db.relationship("Project", back_populates="posts")

    def __repr__(self) -> str:
        return f"<Post {self.id} {self.topic!r} {self.status}>"
