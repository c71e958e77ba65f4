"""users.email_verified_at

Revision ID: 5013ed21caf4
Revises: 6256010a6243
Create Date: 2026-12-02 10:00:00.000000

Accounts that exist before this revision are treated as verified: they signed up when no
address was checked, and requiring it now would lock their owners out of generation.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5013ed21caf4"
down_revision = "6256010a6243"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_verified_at", sa.DateTime(), nullable=True))
    # Naive UTC, as every DateTime column stores (the database's own now() may be local time).
    users = sa.table("users", sa.column("email_verified_at", sa.DateTime()))
    op.execute(users.update().values(email_verified_at=datetime.now(UTC).replace(tzinfo=None)))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("email_verified_at")
