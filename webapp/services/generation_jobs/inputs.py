"""What the writers of a generation job work from: each post's brief and sources, the
project's link opportunities, and the outline the job's posts follow (an agreed one from
the outline checkpoint, or the workflow's own)."""

from __future__ import annotations

from types import SimpleNamespace

from ...extensions import db
from ...models import Job, LinkOpportunity, Post, Source
from ...vocabulary import PostStatus, SourceStatus, Workflow
from .. import source_reading, voices
from ..generation import Brief, PlannedOutline, SourceText
from ..links import insert_links
from ..workflows import outlines

REPURPOSED_POST_GONE = (
    "The post to repurpose was deleted (or is no longer completed) before it was "
    "rewritten. Nothing was charged."
)


class CannotStart(Exception):
    """What the job works from is gone: the job fails with this message."""


def workflow_of(job: Job) -> str:
    return (job.params or {}).get("workflow") or Workflow.BLOG_POST


def wants_review(job: Job) -> bool:
    """The job pauses for its outline: asked to, and not yet agreed."""
    return bool((job.params or {}).get("review_outline")) and job.checkpoint is None


def brief_of(post: Post, outline: PlannedOutline | None = None) -> Brief:
    """What the writer works from for `post` (following `outline` when given)."""
    return make_brief(
        topic=post.topic,
        voice=post.voice,
        target_length=post.target_length,
        channel=post.channel,
        custom_instructions=post.custom_instructions or "",
        outline=outline,
    )


def make_brief(
    *,
    topic: str,
    voice: str,
    target_length: str,
    channel: str,
    custom_instructions: str,
    outline: PlannedOutline | None = None,
) -> Brief:
    """A brief; a brand voice comes with its instructions (the professional voice when it
    was deleted since the request)."""
    voice, guide = voices.brief_voice(voice)
    return Brief(
        topic=topic,
        voice=voice,
        target_length=target_length,
        channel=channel,
        custom_instructions=custom_instructions,
        voice_guide=guide,
        outline=outline,
    )


def sources_of(post: Post) -> list[SourceText]:
    """The post's sources that are still there and parsed, in the order requested."""
    if not post.source_ids:
        return []
    found = {
        s.id: s
        for s in db.session.execute(
            db.select(Source).where(
                Source.id.in_(post.source_ids), Source.status == SourceStatus.PARSED
            )
        ).scalars()
    }
    for source in found.values():
        source_reading.read_again_if_outdated(source)
    return [
        SourceText(
            s.id,
            s.filename,
            s.parsed_text or "",
            tuple((s.parse_details or {}).get("page_starts") or ()),
        )
        for i in post.source_ids
        if (s := found.get(i))
    ]


def links_inserter(project_id: str):
    """`insert_links` over the project's link opportunities, copied out of the session:
    posts written in other threads use it too."""
    opportunities = [
        SimpleNamespace(
            id=o.id,
            target_url=o.target_url,
            keywords=list(o.keywords or []),
            anchor_text=o.anchor_text,
        )
        for o in db.session.execute(
            db.select(LinkOpportunity).where(LinkOpportunity.project_id == project_id)
        ).scalars()
    ]
    if not opportunities:
        return None
    return lambda markdown: insert_links(markdown, opportunities)


def given_outline(job: Job, main: Post) -> PlannedOutline | None:
    """The outline the job's posts follow without planning one: the one agreed at the
    outline checkpoint, the release notes' own, or the sections of the post being
    repurposed (CannotStart when it is gone). None: the writer plans it."""
    agreed = outlines.checkpoint_outline(job.checkpoint)
    if agreed is not None:
        return PlannedOutline.from_value(agreed)
    workflow, slots = workflow_of(job), (job.params or {}).get("slots") or {}
    if workflow == Workflow.RELEASE_NOTES:
        return outlines.release_notes_outline(main.topic, slots.get("version"))
    if workflow == Workflow.REPURPOSE:
        original = db.session.get(Post, slots.get("post_id") or "")
        if original is None or original.status != PostStatus.COMPLETED:
            raise CannotStart(REPURPOSED_POST_GONE)
        return outlines.outline_of_post(original.content, original.topic)
    return None


def plans_outline_first(job: Job) -> bool:
    """The job asks its writer for the outline before writing: to show it at the
    checkpoint, or to write a campaign's other posts from the blog's sections."""
    return wants_review(job) or workflow_of(job) == Workflow.CAMPAIGN_PACK
