"""A generation request's workflow, checked and turned into the posts its job writes:
which channels, in which order (the position-0 post is the job's main one), with which
instructions and sources. `services.posts.request_generation` saves what this plans."""

from __future__ import annotations

import io
from dataclasses import dataclass

from ...errors import NotFound, ServiceUnavailable, ValidationFailed
from ...extensions import db
from ...models import Post, Project, Source, User
from ...vocabulary import Channel, FileType, PostStatus, SourceStatus, Workflow
from ..access import Permission, get_in_project_or_404
from ..generation.base import LONG_FORM_CHANNELS
from ..parsing import ParseError, parse_document
from ..source_reading import keep_parse
from ..storage import StorageError, get_storage, new_key
from .catalog import WorkflowSpec
from .slots import slot_error

# Workflows whose job has one main post (`result.post_id`) even when it writes several.
MAIN_POST_WORKFLOWS = (Workflow.CAMPAIGN_PACK,)
# The `changes` slot of release notes becomes this source of the project, so that the
# post's citations point at something real.
CHANGES_FILENAME = "Release changes{version}.txt"


@dataclass(frozen=True)
class WorkflowRequest:
    """What the request asked of its workflow, checked."""

    spec: WorkflowSpec
    slots: dict
    review_outline: bool
    channel: Channel | None  # blog_post only

    @property
    def params(self) -> dict:
        """The job's `params`."""
        return {
            "workflow": self.spec.spec_id,
            "slots": self.slots,
            "review_outline": self.review_outline,
        }


def channel_of(spec: WorkflowSpec, channel: str | None) -> Channel | None:
    """The one channel a blog_post writes (blog unless asked); another workflow's
    channels are its own, so a `channel` sent with it is refused."""
    if spec.takes_channel:
        return Channel(channel or Channel.BLOG)
    if channel is not None:
        made = ", ".join(spec.channels)
        raise ValidationFailed.at(
            "channel",
            f"channel applies to the blog_post workflow only; {spec.spec_id} writes {made}.",
        )
    return None


def check_review_outline(spec: WorkflowSpec, channel: Channel | None, review_outline: bool):
    """An outline review needs a workflow that plans one, and a long-form post."""
    if not review_outline:
        return
    if not spec.supports_outline_review:
        raise ValidationFailed.at(
            "review_outline", f"{spec.spec_id} has no outline to review; leave review_outline off."
        )
    if channel is not None and channel not in LONG_FORM_CHANNELS:
        raise ValidationFailed.at(
            "review_outline",
            f"A {channel} post has no sections to review; review_outline needs channel blog "
            "or email.",
        )


def post_channels(request: WorkflowRequest) -> list[Channel]:
    """The channel of each post the job writes, the main one first."""
    if request.channel is not None:
        return [request.channel]
    if request.spec.spec_id == Workflow.REPURPOSE:
        return [Channel(c) for c in request.slots["channels"]]
    return list(request.spec.channels)


def instructions_for(request: WorkflowRequest, custom_instructions: str | None) -> str | None:
    """The request's instructions, with the newsletter's audience ahead of them."""
    instructions = (custom_instructions or "").strip()
    audience = request.slots.get("audience")
    if request.spec.spec_id == Workflow.NEWSLETTER and audience:
        instructions = f"Audience: {audience}.\n{instructions}".strip()
    return instructions or None


def repurposed_post(request: WorkflowRequest, project: Project, user: User) -> Post | None:
    """The completed post of `project` a repurpose job rewrites (None for other
    workflows); VALIDATION_ERROR at ["body", "slots", "post_id"] when it is not one the
    user may read there."""
    if request.spec.spec_id != Workflow.REPURPOSE:
        return None
    post_id = request.slots["post_id"]
    try:
        post = get_in_project_or_404(Post, post_id, project, user, need=Permission.READ)
    except NotFound:
        raise slot_error(["post_id"], f"There is no post {post_id[:40]!r} in this project.")
    if post.status != PostStatus.COMPLETED:
        raise slot_error(
            ["post_id"], f"The post is {post.status}; only a completed post can be repurposed."
        )
    return post


def kept_sources_of(post: Post) -> list[str]:
    """The ids of `post`'s sources that are still there and parsed, in its order."""
    if not post.source_ids:
        return []
    kept = set(
        db.session.execute(
            db.select(Source.id).where(
                Source.id.in_(post.source_ids),
                Source.project_id == post.project_id,
                Source.status == SourceStatus.PARSED,
            )
        ).scalars()
    )
    return [i for i in post.source_ids if i in kept]


def check_release_notes_input(request: WorkflowRequest, source_ids: list[str]) -> None:
    """Release notes are written from changelog text: the `changes` slot or a source."""
    if request.spec.spec_id == Workflow.RELEASE_NOTES and not (
        source_ids or request.slots.get("changes")
    ):
        raise slot_error(
            ["changes"],
            "release_notes needs the changelog or pull-request text: paste it into the "
            "changes slot or choose a source that holds it.",
            "missing",
        )


def changes_source(request: WorkflowRequest, user: User, project: Project) -> Source | None:
    """The `changes` slot of release notes as a parsed text source of the project (its
    file stored; the row not yet added to the session), or None."""
    changes = request.slots.get("changes")
    if request.spec.spec_id != Workflow.RELEASE_NOTES or not changes:
        return None
    data = changes.encode("utf-8")
    try:
        document = parse_document(data, FileType.TXT)
    except ParseError as exc:
        raise slot_error(["changes"], str(exc)) from exc
    key = new_key("sources", user.id)
    try:
        get_storage().save(key, io.BytesIO(data))
    except StorageError as exc:
        raise ServiceUnavailable("File storage is unavailable; nothing was started.") from exc
    version = request.slots.get("version")
    source = Source(
        project_id=project.id,
        user_id=user.id,
        filename=CHANGES_FILENAME.format(version=f" {version}" if version else ""),
        file_type=FileType.TXT,
        file_size=len(data),
        storage_key=key,
        status=SourceStatus.PARSED,
    )
    keep_parse(source, document)
    return source


def result_of(workflow: str, post_ids: list[str]) -> dict:
    """A finished job's `result`: every post it wrote, and the main one when it has one."""
    result = {"post_ids": post_ids}
    if post_ids and (len(post_ids) == 1 or workflow in MAIN_POST_WORKFLOWS):
        result = {"post_id": post_ids[0], **result}
    return result
