"""workflows: a job's parameters, checkpoint and pause time; a post's workflow and its
position among the posts of its job

Revision ID: f7a9b1c3d5e4
Revises: e6f8a0b2c4d3
Create Date: 2026-11-29 22:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f7a9b1c3d5e4"
down_revision = "e6f8a0b2c4d3"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs (see 0013: no batch copy of tables others cascade from).
    op.add_column("jobs", sa.Column("params", sa.JSON(), nullable=True))
    op.add_column("jobs", sa.Column("checkpoint", sa.JSON(), nullable=True))
    op.add_column("jobs", sa.Column("paused_at", sa.DateTime(), nullable=True))
    op.add_column(
        "posts",
        sa.Column("workflow", sa.String(length=32), nullable=False, server_default="blog_post"),
    )
    op.add_column("posts", sa.Column("position", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    for table, column in (
        ("posts", "position"),
        ("posts", "workflow"),
        ("jobs", "paused_at"),
        ("jobs", "checkpoint"),
        ("jobs", "params"),
    ):
        op.drop_column(table, column)
