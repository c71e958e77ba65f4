"""All models, imported so that Alembic and `db` see every table."""

from .api_key import ApiKey
from .idempotency import IdempotencyRecord
from .job import Job
from .link import LinkOpportunity
from .mail import OutboxMessage
from .post import Post
from .project import Project
from .review import PostComment, PostRevision, PostSuggestion, ShareLink
from .session import UserSession
from .source import Source
from .usage import Usage
from .user import RefreshToken, User
from .voice import BrandVoice
from .workspace import ActivityEvent, Invitation, Membership, Workspace

__all__ = [
    "ActivityEvent",
    "ApiKey",
    "BrandVoice",
    "IdempotencyRecord",
    "Invitation",
    "Job",
    "LinkOpportunity",
    "Membership",
    "OutboxMessage",
    "Post",
    "PostComment",
    "PostRevision",
    "PostSuggestion",
    "Project",
    "RefreshToken",
    "ShareLink",
    "Source",
    "Usage",
    "User",
    "UserSession",
    "Workspace",
]
