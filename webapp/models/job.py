"""Background jobs: what the API's /jobs endpoints report, one row per RQ job."""

from __future__ import annotations

from ..extensions import db
from ..timeutil import utcnow
from ..vocabulary import FINISHED_JOB_STATUSES, JobStatus, JobType
from .base import TimestampMixin, id_column, user_fk

JOB_TYPES = tuple(JobType)
JOB_STATUSES = tuple(JobStatus)
FINISHED_STATUSES = tuple(s for s in JobStatus if s in FINISHED_JOB_STATUSES)


class Job(TimestampMixin, db.Model):
    __tablename__ = "jobs"
    __table_args__ = (db.Index("ix_jobs_user_created", "user_id", "created_at"),)

    id = id_column()  # also the RQ job id, so log lines and rows match
    user_id = user_fk()
    project_id = db.Column(
        db.String(24), db.ForeignKey("projects.id", ondelete="CASCADE"), nullable=True, index=True
    )
    job_type = db.Column(db.String(32), nullable=False)
    status = db.Column(db.String(16), nullable=False, default=JobStatus.QUEUED)
    progress = db.Column(db.Integer, nullable=False, default=0)
    current_step = db.Column(db.String(200), nullable=True)
    total_items = db.Column(db.Integer, nullable=False, default=1)
    result = db.Column(db.JSON, nullable=True)
    error_message = db.Column(db.Text, nullable=True)
    # Up by 1 at each checkpoint and each change of its slots (optimistic locking).
    item_version = db.Column(db.Integer, nullable=False, default=1)
    # What the job was asked for: {"workflow", "slots", "review_outline"} of a generation,
    # {"csv_source_id"} of a bulk job.
    params = db.Column(db.JSON, nullable=True)
    # Where a paused job (slot_needed) waits: {"checkpoint_id", "step_output_preview",
    # "slots": [{"slot_id", "type", "value"}], ...}; kept after confirm as what was agreed.
    checkpoint = db.Column(db.JSON, nullable=True)
    paused_at = db.Column(db.DateTime, nullable=True)
    started_at = db.Column(db.DateTime, nullable=True)
    finished_at = db.Column(db.DateTime, nullable=True)

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    def touch(self) -> None:
        self.updated_at = utcnow()
