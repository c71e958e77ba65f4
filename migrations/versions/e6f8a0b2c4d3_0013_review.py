"""review: revisions, suggestions, comments, share links; approval columns on posts,
approval_required on projects, review mail settings on users

Revision ID: e6f8a0b2c4d3
Revises: d5e7f9a1b3c2
Create Date: 2026-11-29 19:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e6f8a0b2c4d3"
down_revision = "d5e7f9a1b3c2"
branch_labels = None
depends_on = None


def _id():
    return sa.Column("id", sa.String(length=24), primary_key=True)


def _post_id():
    return sa.Column(
        "post_id",
        sa.String(length=24),
        sa.ForeignKey("posts.id", ondelete="CASCADE"),
        nullable=False,
    )


def _kept_user(name):
    return sa.Column(
        name,
        sa.String(length=24),
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
    )


def upgrade():
    # Plain ADD COLUMNs: on SQLite a batch operation would copy and drop the table, and
    # dropping users or projects cascades to every row that references them.
    op.add_column("posts", sa.Column("approved_version", sa.Integer(), nullable=True))
    op.add_column("posts", sa.Column("approved_by", sa.String(length=24), nullable=True))
    op.add_column("posts", sa.Column("approved_at", sa.DateTime(), nullable=True))
    op.add_column("posts", sa.Column("approval_channels", sa.JSON(), nullable=True))
    op.add_column(
        "projects",
        sa.Column("approval_required", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    for column in ("notify_review", "notify_mentions"):
        op.add_column(
            "users", sa.Column(column, sa.Boolean(), nullable=False, server_default=sa.true())
        )

    op.create_table(
        "post_revisions",
        _id(),
        _post_id(),
        sa.Column("item_version", sa.Integer(), nullable=False),
        _kept_user("author_id"),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("word_count", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("post_id", "item_version", name="uq_post_revisions_version"),
    )
    op.create_table(
        "post_suggestions",
        _id(),
        _post_id(),
        sa.Column("job_id", sa.String(length=24), nullable=True),
        _kept_user("user_id"),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=True),
        sa.Column("tone", sa.String(length=64), nullable=True),
        sa.Column("replacement", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "post_comments",
        _id(),
        _post_id(),
        sa.Column(
            "parent_id",
            sa.String(length=24),
            sa.ForeignKey("post_comments.id", ondelete="CASCADE"),
            nullable=True,
        ),
        _kept_user("author_id"),
        sa.Column("guest_name", sa.String(length=80), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("outdated", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "share_links",
        _id(),
        _post_id(),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        _kept_user("created_by"),
        sa.Column("allow_comments", sa.Boolean(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    for table, columns in INDEXES.items():
        for column in columns:
            op.create_index(f"ix_{table}_{column}", table, [column])


INDEXES = {
    "post_revisions": ("post_id", "author_id", "created_at"),
    "post_suggestions": ("post_id", "job_id", "user_id", "created_at"),
    "post_comments": ("post_id", "author_id", "created_at"),
    "share_links": ("post_id", "created_by"),
}


def downgrade():
    for table, columns in INDEXES.items():
        for column in columns:
            op.drop_index(f"ix_{table}_{column}", table_name=table)
    for table in ("share_links", "post_comments", "post_suggestions", "post_revisions"):
        op.drop_table(table)
    for table, column in DOWNGRADE_COLUMNS:
        if op.get_bind().dialect.name == "sqlite":  # natively: no table copy, no cascade
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        else:
            op.drop_column(table, column)


DOWNGRADE_COLUMNS = (
    ("users", "notify_mentions"),
    ("users", "notify_review"),
    ("projects", "approval_required"),
    ("posts", "approval_channels"),
    ("posts", "approved_at"),
    ("posts", "approved_by"),
    ("posts", "approved_version"),
)
