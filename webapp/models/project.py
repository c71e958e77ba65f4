"""Projects: the container of a user's sources, posts and jobs."""

from __future__ import annotations

from ..extensions import db
from .base import TimestampMixin, id_column, user_fk
from .workspace import workspace_fk


class Project(TimestampMixin, db.Model):
    __tablename__ = "projects"
    __table_args__ = (
        db.Index("ix_projects_user_created", "user_id", "created_at"),
        db.Index("ix_projects_workspace_created", "workspace_id", "created_at"),
    )

    id = id_column()
    user_id = user_fk()  # the creator
    workspace_id = workspace_fk()
    name = db.Column(db.String(200), nullable=False)
    description = db.Column(db.String(1000), nullable=True)
    metadata_ = db.Column("metadata", db.JSON, nullable=False, default=dict)
    # Exports, ZIPs and share links only take posts approved at their current version.
    approval_required = db.Column(
        db.Boolean, nullable=False, default=False, server_default=db.false()
    )

    user = db.relationship("User", back_populates="projects")
    workspace = db.relationship("Workspace")
    sources = db.relationship(
        "Source",
        back_populates="project",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Source.created_at.desc()",
    )
    posts = db.relationship(
        "Post",
        back_populates="project",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="dynamic",
    )
    link_opportunities = db.relationship(
        "LinkOpportunity",
        back_populates="project",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="LinkOpportunity.created_at.desc()",
    )

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.name!r}>"
