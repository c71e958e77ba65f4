"""Workspaces: what a team shares, who is in it (memberships) and what happened in it
(activity events)."""

from __future__ import annotations

from ..extensions import db
from ..timeutil import utcnow
from ..vocabulary import Role
from .base import TimestampMixin, id_column, user_fk

ROLES = tuple(Role)


def workspace_fk():
    return db.Column(
        db.String(24),
        db.ForeignKey("workspaces.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


class Workspace(TimestampMixin, db.Model):
    """A shared space of projects. It has exactly one owner, whose plan it runs on; the
    owner's membership has role `owner` too (services.workspaces keeps the two in step)."""

    __tablename__ = "workspaces"

    id = id_column()
    name = db.Column(db.String(100), nullable=False)
    owner_id = user_fk()
    # Made with the account; it cannot be deleted.
    personal = db.Column(db.Boolean, nullable=False, default=False)

    owner = db.relationship("User", foreign_keys=[owner_id])
    memberships = db.relationship(
        "Membership",
        back_populates="workspace",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<Workspace {self.id} {self.name!r}>"


class Membership(db.Model):
    """A user's role in a workspace; `created_at` is when they joined."""

    __tablename__ = "memberships"
    __table_args__ = (
        db.UniqueConstraint("workspace_id", "user_id", name="uq_memberships_workspace_user"),
    )

    id = id_column()
    workspace_id = workspace_fk()
    user_id = user_fk()
    role = db.Column(db.String(16), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    workspace = db.relationship("Workspace", back_populates="memberships")
    user = db.relationship("User")

    def __repr__(self) -> str:
        return f"<Membership {self.workspace_id} {self.user_id} {self.role}>"


class Invitation(db.Model):
    """An emailed invitation to join a workspace with a role. Only the token's hash is
    stored; it is pending until accepted, revoked or expired."""

    __tablename__ = "invitations"
    __table_args__ = (db.Index("ix_invitations_workspace_created", "workspace_id", "created_at"),)

    id = id_column()
    workspace_id = workspace_fk()
    email = db.Column(db.String(255), nullable=False, index=True)
    role = db.Column(db.String(16), nullable=False)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    invited_by = user_fk()
    expires_at = db.Column(db.DateTime, nullable=False)
    accepted_at = db.Column(db.DateTime, nullable=True)
    revoked_at = db.Column(db.DateTime, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    workspace = db.relationship("Workspace")
    inviter = db.relationship("User", foreign_keys=[invited_by])

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.email} {self.role}>"


class ActivityEvent(db.Model):
    """Who did what in a workspace, and when (services.activity writes them)."""

    __tablename__ = "activity_events"
    __table_args__ = (db.Index("ix_activity_workspace_created", "workspace_id", "created_at"),)

    id = id_column()
    workspace_id = workspace_fk()
    # The actor; kept (null) when their account is deleted.
    actor_id = db.Column(
        db.String(24), db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    action = db.Column(db.String(40), nullable=False)
    subject_type = db.Column(db.String(20), nullable=False)
    subject_id = db.Column(db.String(24), nullable=True)
    summary = db.Column(db.String(300), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    actor = db.relationship("User")
