"""idempotency records: HMAC of the request, pending claims, wider scope

Revision ID: 55fd26d5157a
Revises: 2d2f8bab56db
Create Date: 2026-11-26 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "55fd26d5157a"
down_revision = "2d2f8bab56db"
branch_labels = None
depends_on = None


def upgrade():
    # The records are a 24-hour cache; the old ones hold plain SHA-256 hashes of bodies
    # that may contain a password, and stored secrets: none is worth keeping.
    op.execute(sa.text("DELETE FROM idempotency_records"))
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.alter_column(
            "scope",
            existing_type=sa.String(length=40),
            type_=sa.String(length=80),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "request_hash",
            new_column_name="request_hmac",
            existing_type=sa.String(length=64),
            existing_nullable=False,
        )
        batch_op.alter_column("status_code", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("response_body", existing_type=sa.Text(), nullable=True)


def downgrade():
    op.execute(sa.text("DELETE FROM idempotency_records"))
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.alter_column("response_body", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("status_code", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column(
            "request_hmac",
            new_column_name="request_hash",
            existing_type=sa.String(length=64),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "scope",
            existing_type=sa.String(length=80),
            type_=sa.String(length=40),
            existing_nullable=False,
        )
