"""workspaces, memberships, invitations, activity events; projects.workspace_id

Every existing account gets its personal workspace (owned by it, role owner), which
takes over the account's existing projects.

Revision ID: b3e5f7a9c1d0
Revises: a9c1d2e3f409
Create Date: 2026-11-29 13:00:00.000000

"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b3e5f7a9c1d0"
down_revision = "a9c1d2e3f409"
branch_labels = None
depends_on = None


def _user_fk(name, nullable=False, ondelete="CASCADE"):
    return sa.Column(
        name, sa.String(length=24), sa.ForeignKey("users.id", ondelete=ondelete), nullable=nullable
    )


def _workspace_fk():
    return sa.Column(
        "workspace_id",
        sa.String(length=24),
        sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade():
    op.create_table(
        "workspaces",
        sa.Column("id", sa.String(length=24), primary_key=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        _user_fk("owner_id"),
        sa.Column("personal", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_workspaces_owner_id", "workspaces", ["owner_id"])
    op.create_index("ix_workspaces_created_at", "workspaces", ["created_at"])
    op.create_table(
        "memberships",
        sa.Column("id", sa.String(length=24), primary_key=True),
        _workspace_fk(),
        _user_fk("user_id"),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("workspace_id", "user_id", name="uq_memberships_workspace_user"),
    )
    op.create_index("ix_memberships_workspace_id", "memberships", ["workspace_id"])
    op.create_index("ix_memberships_user_id", "memberships", ["user_id"])
    op.create_table(
        "invitations",
        sa.Column("id", sa.String(length=24), primary_key=True),
        _workspace_fk(),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        _user_fk("invited_by"),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_invitations_workspace_id", "invitations", ["workspace_id"])
    op.create_index("ix_invitations_email", "invitations", ["email"])
    op.create_index("ix_invitations_invited_by", "invitations", ["invited_by"])
    op.create_index(
        "ix_invitations_workspace_created", "invitations", ["workspace_id", "created_at"]
    )
    op.create_table(
        "activity_events",
        sa.Column("id", sa.String(length=24), primary_key=True),
        _workspace_fk(),
        _user_fk("actor_id", nullable=True, ondelete="SET NULL"),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.String(length=24), nullable=True),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_activity_events_workspace_id", "activity_events", ["workspace_id"])
    op.create_index(
        "ix_activity_workspace_created", "activity_events", ["workspace_id", "created_at"]
    )

    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("workspace_id", sa.String(length=24), nullable=True))
    _give_every_account_its_personal_workspace()
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.alter_column("workspace_id", existing_type=sa.String(length=24), nullable=False)
        batch_op.create_foreign_key(
            "fk_projects_workspace_id", "workspaces", ["workspace_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_index("ix_projects_workspace_id", ["workspace_id"])
        batch_op.create_index("ix_projects_workspace_created", ["workspace_id", "created_at"])


def _give_every_account_its_personal_workspace():
    connection = op.get_bind()
    users = connection.execute(sa.text("SELECT id, created_at FROM users")).all()
    for user_id, created_at in users:
        workspace_id = secrets.token_hex(12)
        values = {
            "id": workspace_id,
            "user_id": user_id,
            "created_at": created_at,
            "membership_id": secrets.token_hex(12),
        }
        connection.execute(
            sa.text(
                "INSERT INTO workspaces (id, name, owner_id, personal, created_at, updated_at) "
                "VALUES (:id, 'Personal', :user_id, :personal, :created_at, :created_at)"
            ),
            {**values, "personal": True},
        )
        connection.execute(
            sa.text(
                "INSERT INTO memberships (id, workspace_id, user_id, role, created_at) "
                "VALUES (:membership_id, :id, :user_id, 'owner', :created_at)"
            ),
            values,
        )
        connection.execute(
            sa.text("UPDATE projects SET workspace_id = :id WHERE user_id = :user_id"), values
        )


def downgrade():
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index("ix_projects_workspace_created")
        batch_op.drop_index("ix_projects_workspace_id")
        batch_op.drop_constraint("fk_projects_workspace_id", type_="foreignkey")
        batch_op.drop_column("workspace_id")
    op.drop_table("activity_events")
    op.drop_table("invitations")
    op.drop_table("memberships")
    op.drop_table("workspaces")
