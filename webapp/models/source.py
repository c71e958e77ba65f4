"""Sources: reference material uploaded as a file or imported from a URL."""

from __future__ import annotations

from ..extensions import db
from ..vocabulary import FileType, SourceStatus
from .base import TimestampMixin, id_column, user_fk

SOURCE_STATUSES = tuple(SourceStatus)
FILE_TYPES = tuple(FileType)


class Source(TimestampMixin, db.Model):
    __tablename__ = "sources"
    __table_args__ = (db.Index("ix_sources_project_created", "project_id", "created_at"),)

    id = id_column()
    project_id = db.Column(
        db.String(24), db.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id = user_fk()
    filename = db.Column(db.String(255), nullable=False)
    file_type = db.Column(db.String(8), nullable=False)
    file_size = db.Column(db.BigInteger, nullable=False, default=0)
    storage_key = db.Column(db.String(255), nullable=True)
    source_url = db.Column(db.String(2048), nullable=True)
    status = db.Column(db.String(16), nullable=False, default=SourceStatus.UPLOADED)
    parsed_text = db.Column(db.Text, nullable=True)
    word_count = db.Column(db.Integer, nullable=True)
    # Format-specific facts: pages, title, CSV rows and per-row problems, truncation.
    parse_details = db.Column(db.JSON, nullable=True)
    error_message = db.Column(db.Text, nullable=True)
    job_id = db.Column(db.String(24), nullable=True)

    project = db.relationship("Project", back_populates="sources")
