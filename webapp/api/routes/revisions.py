"""A post's revisions: list, read, compare, restore."""

from __future__ import annotations

from ...errors import ErrorCode
from ...services import posts as post_service
from ...services.access import Permission
from ...services.review import editing, revisions
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.posts import PostOut
from ..schemas.revisions import (
    DiffOut,
    DiffQuery,
    RestoreRequest,
    RevisionList,
    RevisionListQuery,
    RevisionOut,
)

ONE_REVISION = "/posts/<post_id:post_id>/revisions/<revision_id>"


@bp.get("/posts/<post_id:post_id>/revisions")
@endpoint(
    "List a post's revisions, newest first",
    tag="Revisions",
    query=RevisionListQuery,
    response=RevisionList,
    errors=(ErrorCode.POST_NOT_FOUND,),
)
def list_revisions(post_id: str, query: RevisionListQuery):
    post = post_service.get_post_or_404(post_id, current_principal().user)
    page = revisions.list_revisions(post, query.limit, query.offset)
    return {"revisions": page.items, "total": page.total}


@bp.get(ONE_REVISION)
@endpoint(
    "Get a revision with its content",
    tag="Revisions",
    response=RevisionOut,
    errors=(ErrorCode.POST_NOT_FOUND, ErrorCode.REVISION_NOT_FOUND),
)
def get_revision(post_id: str, revision_id: str):
    post = post_service.get_post_or_404(post_id, current_principal().user)
    return revisions.get_revision_or_404(post, revision_id)


@bp.get(ONE_REVISION + "/diff")
@endpoint(
    "Compare two revisions as a unified diff",
    tag="Revisions",
    query=DiffQuery,
    response=DiffOut,
    errors=(ErrorCode.POST_NOT_FOUND, ErrorCode.REVISION_NOT_FOUND),
    description="`against` is the older side (by default the revision before); the "
    "path's revision the newer.",
)
def diff_revisions(post_id: str, revision_id: str, query: DiffQuery):
    post = post_service.get_post_or_404(post_id, current_principal().user)
    newer = revisions.get_revision_or_404(post, revision_id)
    if query.against is None:
        older = revisions.previous_of(newer)
    else:
        older = revisions.get_revision_or_404(post, query.against)
    return {"diff": revisions.diff(older, newer)}


@bp.post(ONE_REVISION + "/restore")
@endpoint(
    "Restore a revision (as a new revision)",
    tag="Revisions",
    body=RestoreRequest,
    body_optional=True,
    response=PostOut,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.POST_NOT_FOUND,
        ErrorCode.REVISION_NOT_FOUND,
        ErrorCode.INVALID_STATE,
        ErrorCode.VERSION_CONFLICT,
    ),
    description="The body may be left out; with item_version, a stale one is 409.",
)
def restore_revision(post_id: str, revision_id: str, body: RestoreRequest):
    user = current_principal().user
    post = post_service.get_post_or_404(post_id, user, Permission.EDIT)
    revision = revisions.get_revision_or_404(post, revision_id)
    return editing.restore(post, user, revision, body.item_version)
