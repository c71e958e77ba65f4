"""Link opportunities: project URLs that generated posts link to where a keyword appears."""

from __future__ import annotations

from ..extensions import db
from .base import TimestampMixin, id_column, user_fk


class LinkOpportunity(TimestampMixin, db.Model):
    __tablename__ = "link_opportunities"
    __table_args__ = (db.Index("ix_links_project_created", "project_id", "created_at"),)

    id = id_column()
    project_id = db.Column(
        db.String(24), db.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id = user_fk()
    target_url = db.Column(db.String(2048), nullable=False)
    keywords = db.Column(db.JSON, nullable=False, default=list)
    anchor_text = db.Column(db.String(200), nullable=True)

    project = db.relationship("Project", back_populates="link_opportunities")
