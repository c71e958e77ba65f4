"""Comments on a post: list, add (on the post, a passage, or as a reply), change, delete."""

from __future__ import annotations

from ...errors import ErrorCode
from ...services import posts as post_service
from ...services.access import Permission
from ...services.review import comments
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.comments import CommentCreate, CommentList, CommentOut, CommentPatch


@bp.get("/posts/<post_id:post_id>/comments")
@endpoint(
    "List a post's comments, oldest first (outdated ones at the top)",
    tag="Comments",
    response=CommentList,
    errors=(ErrorCode.POST_NOT_FOUND,),
)
def list_comments(post_id: str):
    post = post_service.get_post_or_404(post_id, current_principal().user)
    found = comments.list_comments(post)
    return {"comments": found, "total": len(found)}


@bp.post("/posts/<post_id:post_id>/comments")
@endpoint(
    "Comment on a post or on a quoted passage, or reply to a comment",
    tag="Comments",
    body=CommentCreate,
    response=CommentOut,
    status=201,
    errors=(
        ErrorCode.INSUFFICIENT_ROLE,
        ErrorCode.POST_NOT_FOUND,
        ErrorCode.COMMENT_NOT_FOUND,
        ErrorCode.INVALID_STATE,
        ErrorCode.QUOTE_NOT_FOUND,
    ),
    description="Viewers cannot comment. `@Name` or `@email` of a workspace member in "
    "the body mails them (unless they turned mention mail off).",
)
def create_comment(post_id: str, body: CommentCreate):
    user = current_principal().user
    post = post_service.get_post_or_404(post_id, user, Permission.COMMENT)
    return comments.create_comment(
        post, user, body.body, quote=body.quote, parent_id=body.parent_id
    )


@bp.patch("/comments/<comment_id>")
@endpoint(
    "Edit a comment's body (its author) or resolve/reopen it (editors and up, reviewers)",
    tag="Comments",
    body=CommentPatch,
    response=CommentOut,
    errors=(ErrorCode.INSUFFICIENT_ROLE, ErrorCode.FORBIDDEN, ErrorCode.COMMENT_NOT_FOUND),
)
def update_comment(comment_id: str, body: CommentPatch):
    user = current_principal().user
    comment = comments.get_comment_or_404(comment_id, user, Permission.COMMENT)
    return comments.update_comment(comment, user, body=body.body, resolved=body.resolved)


@bp.delete("/comments/<comment_id>")
@endpoint(
    "Delete a comment and its replies (editors and up)",
    tag="Comments",
    status=204,
    errors=(ErrorCode.INSUFFICIENT_ROLE, ErrorCode.COMMENT_NOT_FOUND),
)
def delete_comment(comment_id: str):
    comment = comments.get_comment_or_404(comment_id, current_principal().user, Permission.EDIT)
    comments.delete_comment(comment)
