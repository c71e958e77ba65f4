"""posts.warnings: what a draft could not do ([{"code", "message"}], empty when nothing)

Revision ID: c4d6e8f0a2b1
Revises: b3e5f7a9c1d0
Create Date: 2026-11-29 16:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4d6e8f0a2b1"
down_revision = "b3e5f7a9c1d0"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("warnings", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade():
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_column("warnings")
