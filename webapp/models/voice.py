"""Brand voices: a workspace's own voices, beside the built-in ones (vocabulary.Voice)."""

from __future__ import annotations

from ..extensions import db
from .base import TimestampMixin, id_column
from .workspace import workspace_fk


class BrandVoice(TimestampMixin, db.Model):
    """A voice a workspace defines: how its posts should sound. A post names it as
    ``custom:<id>`` (services.voices); the worker sends it to the model as instructions."""

    __tablename__ = "brand_voices"
    __table_args__ = (
        db.UniqueConstraint("workspace_id", "name_key", name="uq_brand_voices_workspace_name"),
    )

    id = id_column()
    workspace_id = workspace_fk()
    name = db.Column(db.String(60), nullable=False)
    # The name case-folded: one name per workspace, whatever its case (an expression
    # index would do, but SQLite cannot reflect one for the migration check).
    name_key = db.Column(db.String(120), nullable=False)
    description = db.Column(db.String(1000), nullable=False)
    dos = db.Column(db.JSON, nullable=False, default=list)
    donts = db.Column(db.JSON, nullable=False, default=list)
    examples = db.Column(db.JSON, nullable=False, default=list)
    # Kept (null) when the creator's account is deleted: the voice is the team's.
    created_by = db.Column(
        db.String(24), db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    workspace = db.relationship("Workspace")

    def __repr__(self) -> str:
        return f"<BrandVoice {self.id} {self.name!r}>"
