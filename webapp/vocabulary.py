"""The words Copydesk stores and answers with: one enum per closed set of values.

Each is a `StrEnum`, so a member is its string (``JobStatus.QUEUED == "queued"``), stored
and serialised as such; compare and assign members, never bare strings.
"""

from __future__ import annotations

from enum import StrEnum


class JobType(StrEnum):
    CONTENT_GENERATION = "content_generation"
    DOCUMENT_PARSING = "document_parsing"
    BULK_GENERATION = "bulk_generation"
    PUBLISHING = "publishing"
    URL_IMPORT = "url_import"
    AI_EDIT = "ai_edit"


class JobStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    SLOT_NEEDED = "slot_needed"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_finished(self) -> bool:
        return self in FINISHED_JOB_STATUSES


FINISHED_JOB_STATUSES = frozenset({JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED})


class Workflow(StrEnum):
    """The content jobs of the workflow catalog (services.workflows.catalog)."""

    BLOG_POST = "blog_post"
    CAMPAIGN_PACK = "campaign_pack"
    NEWSLETTER = "newsletter"
    RELEASE_NOTES = "release_notes"
    REPURPOSE = "repurpose"


class SlotType(StrEnum):
    """What a workflow slot or a checkpoint slot holds."""

    TEXT = "text"
    CHOICE = "choice"
    CHOICES = "choices"  # several of `options`
    POST_ID = "post_id"
    OUTLINE = "outline"


class BulkRowStatus(StrEnum):
    """A row of a bulk generation job (`result.rows[].status`)."""

    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class PostStatus(StrEnum):
    GENERATING = "generating"
    COMPLETED = "completed"
    FAILED = "failed"


class ReviewStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PUBLISHED = "published"


class ReviewAction(StrEnum):
    """What moves a post through review (services.review.approval has the state table)."""

    SUBMIT = "submit"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    CONTENT_CHANGE = "content_change"


class SuggestionAction(StrEnum):
    """What a model suggestion does to the quoted passage."""

    REWRITE = "rewrite"
    SHORTEN = "shorten"
    EXPAND = "expand"
    FIX = "fix"
    TONE = "tone"


class SuggestionStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    FAILED = "failed"


class ExportFormat(StrEnum):
    MD = "md"
    HTML = "html"
    DOCX = "docx"


class SourceStatus(StrEnum):
    UPLOADED = "uploaded"
    PARSING = "parsing"
    PARSED = "parsed"
    FAILED = "failed"


class FileType(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    MD = "md"
    TXT = "txt"
    CSV = "csv"
    URL = "url"


class Channel(StrEnum):
    BLOG = "blog"
    SOCIAL = "social"
    EMAIL = "email"
    TWITTER = "twitter"
    LINKEDIN = "linkedin"


class Length(StrEnum):
    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"


class Voice(StrEnum):
    """The built-in voices. A post's voice is not limited to these: custom voices are
    named ``custom:<id>``, so voice fields are strings checked against what the user may
    use, not this enum."""

    PROFESSIONAL = "professional"
    CASUAL = "casual"
    WITTY = "witty"
    TECHNICAL = "technical"
    GEN_Z = "gen_z"
    ACADEMIC = "academic"
    CORPORATE = "corporate"
    STORYTELLING = "storytelling"
    HUMOROUS = "humorous"
    INSPIRATIONAL = "inspirational"
    CONVERSATIONAL = "conversational"


class PostWarning(StrEnum):
    """What a draft could not do, said on the post (`warnings[].code`)."""

    SHORT_OF_TARGET = "SHORT_OF_TARGET"  # the sources support fewer words than asked
    VOICE_NEEDS_MODEL = "VOICE_NEEDS_MODEL"  # only a model imitates a voice
    NO_SOURCES = "NO_SOURCES"  # nothing to draw on: an outline instead of a draft


class ContentKind(StrEnum):
    """What `content.kind` says a post holds."""

    DRAFT = "draft"
    OUTLINE = "outline"


class PlanName(StrEnum):
    FREE = "free"
    STARTER = "starter"
    PRO = "pro"
    BUSINESS = "business"
    ENTERPRISE = "enterprise"


class KeyMode(StrEnum):
    """Live keys act like the account; test keys write offline drafts and charge nothing."""

    LIVE = "live"
    TEST = "test"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Role(StrEnum):
    """A member's role in a workspace, most powerful first (services.access says what
    each may do)."""

    OWNER = "owner"
    ADMIN = "admin"
    EDITOR = "editor"
    REVIEWER = "reviewer"
    VIEWER = "viewer"


INVITABLE_ROLES = (Role.ADMIN, Role.EDITOR, Role.REVIEWER, Role.VIEWER)


class Activity(StrEnum):
    """What a workspace's activity feed records."""

    WORKSPACE_CREATED = "workspace.created"
    PROJECT_CREATED = "project.created"
    PROJECT_DELETED = "project.deleted"
    SOURCE_ADDED = "source.added"
    POST_GENERATED = "post.generated"
    POST_DELETED = "post.deleted"
    POST_EDITED = "post.edited"
    POST_SUBMITTED = "post.submitted"
    POST_APPROVED = "post.approved"
    POST_CHANGES_REQUESTED = "post.changes_requested"
    POST_SHARED = "post.shared"
    INVITATION_SENT = "invitation.sent"
    MEMBER_JOINED = "member.joined"
    MEMBER_ROLE_CHANGED = "member.role_changed"
    MEMBER_REMOVED = "member.removed"
    OWNERSHIP_TRANSFERRED = "ownership.transferred"


class SignupMode(StrEnum):
    OPEN = "open"
    INVITE = "invite"  # only an address with a pending invitation
    CLOSED = "closed"


ENUMS = (
    JobType,
    JobStatus,
    Workflow,
    SlotType,
    BulkRowStatus,
    PostStatus,
    ReviewStatus,
    ReviewAction,
    SuggestionAction,
    SuggestionStatus,
    ExportFormat,
    SourceStatus,
    FileType,
    Channel,
    Length,
    Voice,
    PlanName,
    KeyMode,
    OutboxStatus,
    Role,
    Activity,
    SignupMode,
)
