"""quota reservations

Posts reserved by queued and running generation jobs, charged when a job completes and
released when it fails or is cancelled. Generations already under way when this runs get
their reservation here, so that they are charged as before.

Revision ID: 6256010a6243
Revises: 7722bb44b7f6
Create Date: 2026-11-26 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "6256010a6243"
down_revision = "7722bb44b7f6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "quota_reservations",
        sa.Column("job_id", sa.String(length=24), nullable=False),
        sa.Column("holder_id", sa.String(length=24), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["users.id"],
            name=op.f("fk_quota_reservations_holder_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_quota_reservations_job_id_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_quota_reservations")),
    )
    with op.batch_alter_table("quota_reservations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quota_reservations_holder_id"), ["holder_id"], unique=False
        )
    reserve_generations_under_way()


def reserve_generations_under_way():
    posts = sa.table(
        "posts",
        sa.column("job_id"),
        sa.column("user_id"),
        sa.column("status"),
        sa.column("test_mode", sa.Boolean),
        sa.column("created_at"),
    )
    jobs = sa.table("jobs", sa.column("id"), sa.column("status"))
    reservations = sa.table(
        "quota_reservations",
        sa.column("job_id"),
        sa.column("holder_id"),
        sa.column("posts"),
        sa.column("created_at"),
    )
    under_way = (
        sa.select(posts.c.job_id, posts.c.user_id, sa.literal(1), posts.c.created_at)
        .join(jobs, jobs.c.id == posts.c.job_id)
        .where(
            posts.c.status == "generating",
            posts.c.test_mode == sa.false(),
            jobs.c.status.in_(("queued", "processing")),
        )
    )
    op.execute(
        reservations.insert().from_select(["job_id", "holder_id", "posts", "created_at"], under_way)
    )


def downgrade():
    with op.batch_alter_table("quota_reservations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quota_reservations_holder_id"))

    op.drop_table("quota_reservations")
