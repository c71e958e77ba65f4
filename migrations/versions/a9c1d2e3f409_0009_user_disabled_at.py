"""users.disabled_at: an operator can disable an account (flask users disable)

Revision ID: a9c1d2e3f409
Revises: 55fd26d5157a
Create Date: 2026-11-29 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a9c1d2e3f409"
down_revision = "55fd26d5157a"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("disabled_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("disabled_at")
