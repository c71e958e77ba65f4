"""brand_voices: a workspace's own voices (name, tone, do's and don'ts, examples)

Revision ID: d5e7f9a1b3c2
Revises: c4d6e8f0a2b1
Create Date: 2026-11-29 16:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d5e7f9a1b3c2"
down_revision = "c4d6e8f0a2b1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "brand_voices",
        sa.Column("id", sa.String(length=24), primary_key=True),
        sa.Column(
            "workspace_id",
            sa.String(length=24),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("name_key", sa.String(length=120), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.Column("dos", sa.JSON(), nullable=False),
        sa.Column("donts", sa.JSON(), nullable=False),
        sa.Column("examples", sa.JSON(), nullable=False),
        sa.Column(
            "created_by",
            sa.String(length=24),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("workspace_id", "name_key", name="uq_brand_voices_workspace_name"),
    )
    op.create_index("ix_brand_voices_workspace_id", "brand_voices", ["workspace_id"])
    op.create_index("ix_brand_voices_created_at", "brand_voices", ["created_at"])


def downgrade():
    op.drop_index("ix_brand_voices_created_at", table_name="brand_voices")
    op.drop_index("ix_brand_voices_workspace_id", table_name="brand_voices")
    op.drop_table("brand_voices")
