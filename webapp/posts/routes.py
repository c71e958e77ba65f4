"""Post pages: the generation form, a project's posts, a post, its download and delete."""

from __future__ import annotations

from flask import Response, flash, request
from flask_login import current_user, login_required
from werkzeug.utils import secure_filename

from ..errors import AppError, ErrorCode, NotFound
from ..forms import ConfirmForm
from ..rendering import attach_error, htmx_redirect, page_or_fragment
from ..services import channel_text, exports, plans
from ..services import footnotes as footnote_service
from ..services import posts as post_service
from ..services import quota as quota_service
from ..services import sources as source_service
from ..services import voices as voice_service
from ..services.access import Permission
from ..services.projects import get_project_or_404
from ..services.workflows.catalog import CATALOG
from ..vocabulary import FileType, PostStatus, SourceStatus
from . import bp
from .forms import BUILT_IN_VOICE_CHOICES, CHANNEL_LABELS, FORMATS, GenerateForm
from .panels import list_context
from .review_panels import review_context

# Service error codes and the form field they belong next to.
ERROR_FIELDS = {
    ErrorCode.TOPIC_TOO_LONG: "topic",
    ErrorCode.INSTRUCTIONS_TOO_LONG: "custom_instructions",
    ErrorCode.VOICE_NOT_AVAILABLE: "voice",
    ErrorCode.INVALID_SOURCE: "source_ids",
    ErrorCode.SOURCE_NOT_FOUND: "source_ids",
    ErrorCode.ALREADY_GENERATING: "topic",
}


@bp.before_request
@login_required
def require_login():
    """Every post page needs a signed-in user."""


@bp.app_template_filter("workflow_label")
def workflow_label(workflow: str) -> str:
    """The catalog's name of `workflow` ("Campaign pack")."""
    spec = CATALOG.get(workflow)
    return spec.name if spec else workflow


@bp.app_template_filter("channel_label")
def channel_label(channel: str) -> str:
    """What a marketer calls a post of `channel` ("X / Twitter thread")."""
    return CHANNEL_LABELS.get(channel, channel)


@bp.app_template_filter("plain_post_text")
def plain_post_text(post) -> str:
    """The post as plain text, as its channel publishes it (services.channel_text)."""
    return channel_text.post_plain_text(post.channel, post.content or {})


@bp.app_template_filter("thread_posts")
def thread_posts(post) -> list[str]:
    """Each post of a thread, as plain text."""
    return channel_text.thread_posts(post.content or {})


@bp.get("/projects/<project_id>/posts")
def index(project_id: str):
    project = get_project_or_404(project_id, current_user)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    return page_or_fragment(
        "posts/index.html",
        "posts/_list.html",
        **list_context(project, request.args.get("status"), page),
    )


@bp.route("/projects/<project_id>/posts/new", methods=["GET", "POST"])
def new(project_id: str):
    """The generation form; `?workflow=` picks a format (a page without JavaScript),
    `?from_post=` fills it in from a post of the project (Regenerate)."""
    project = get_project_or_404(project_id, current_user, Permission.EDIT)
    plan = plans.plan_for(plans.plan_holder_of(project))  # the workspace's owner's plan
    brand_voices = [
        (voice_service.reference(v), v.name)
        for v in voice_service.list_voices(project.workspace).items
    ]
    form = GenerateForm()
    form.voice.choices = BUILT_IN_VOICE_CHOICES + brand_voices
    sources = reference_sources(project)
    ready = [s for s in sources if s.status == SourceStatus.PARSED]
    parsed = [s.id for s in ready]
    form.source_ids.choices = [(s.id, s.filename) for s in ready]
    form.set_post_choices(completed_posts(project))
    if not form.is_submitted():
        fill_in(form, project, parsed)
    if form.validate_on_submit():
        try:
            job = request_generation(project, form)
            return htmx_redirect("jobs.show", job_id=job.id)
        except AppError as error:
            attach_error(form, error, ERROR_FIELDS.get(error.code), field_at=form.field_at)
    brand_voices_allowed = voice_service.brand_voices_allowed(plan)
    return page_or_fragment(
        "posts/new.html",
        "posts/_form.html",
        status=400 if form.is_submitted() else 200,
        project=project,
        form=form,
        formats=FORMATS,
        workflows=list(CATALOG.values()),
        sources=sources,
        plan=plan,
        quota=quota_service.standing_of(project),
        brand_voices=brand_voices,
        brand_voices_allowed=brand_voices_allowed,
        voices_locked=len(plan.voices) < len(BUILT_IN_VOICE_CHOICES)
        or bool(brand_voices and not brand_voices_allowed),
    )


def reference_sources(project) -> list:
    """The sources a post may draw on: all but topic lists (CSV), which bulk generation
    writes from."""
    sources = source_service.list_sources(project, limit=100)[0]
    return [s for s in sources if s.file_type != FileType.CSV]


def fill_in(form: GenerateForm, project, parsed: list[str]) -> None:
    """A fresh form: the format of `?workflow=`, every parsed source ticked; or, with
    `?from_post=`, what that post of the project was asked for (404 for any other)."""
    form.choose(request.args.get("workflow"))  # the choice of a page without JavaScript
    form.source_ids.data = parsed
    post_id = request.args.get("from_post")
    if post_id:
        post = post_service.get_post_or_404(post_id, current_user)
        if post.project_id != project.id:
            raise NotFound("Post not found.", code=ErrorCode.POST_NOT_FOUND)
        form.prefill(post, parsed)


def request_generation(project, form: GenerateForm):
    """Queue what the form asks for: the chosen format's workflow with its slots (the
    channel only for a blog post, the length only where the format takes one, the outline
    review only where the workflow offers it)."""
    spec = form.spec
    return post_service.request_generation(
        current_user,
        project_id=project.id,
        topic=form.topic.data,
        voice=form.voice.data,
        target_length=form.length_value,
        channel=form.channel_value if spec.takes_channel else None,
        custom_instructions=form.custom_instructions.data,
        source_ids=form.source_ids.data or [],
        workflow=form.workflow_id,
        slots=form.slot_values(),
        review_outline=bool(form.review_outline.data and spec.supports_outline_review),
    )


def completed_posts(project) -> list[tuple[str, str]]:
    """(id, topic) of the project's completed posts, newest first: what may be repurposed."""
    posts = post_service.list_posts(project, PostStatus.COMPLETED, limit=100)[0]
    return [(p.id, f"{p.topic} · {CHANNEL_LABELS.get(p.channel, p.channel)}") for p in posts]


@bp.get("/posts/<post_id>")
def show(post_id: str):
    post = post_service.get_post_or_404(post_id, current_user)
    footnotes = footnote_service.footnotes_of(post)
    markdown = (post.content or {}).get("markdown")
    body, referenced = footnote_service.cited_html(markdown, footnotes)
    plain = channel_text.is_plain(post.channel)
    return page_or_fragment(
        "posts/show.html",
        "posts/show.html",
        post=post,
        project=post.project,
        sources=post_sources(post),
        footnotes=footnotes,
        body=body,
        referenced=referenced,
        export=footnote_service.markdown_with_footnotes(markdown, footnotes),
        plain_channel=plain,
        rich=None if plain else channel_text.rich_html(markdown, footnotes),
        **review_context(post, current_user),
    )


@bp.get("/posts/<post_id>.md")
def download(post_id: str):
    post = post_service.get_post_or_404(post_id, current_user)
    exports.require_exportable(post)  # approval required: only a post approved as it is
    markdown = footnote_service.markdown_with_footnotes(
        (post.content or {}).get("markdown"), footnote_service.footnotes_of(post)
    )
    name = secure_filename(post.topic)[:80] or "post"
    return Response(
        markdown,
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="{name}.md"'},
    )


@bp.route("/posts/<post_id>/delete", methods=["GET", "POST"])
def delete(post_id: str):
    post = post_service.get_post_or_404(post_id, current_user, Permission.EDIT)
    project = post.project
    form = ConfirmForm()
    if form.validate_on_submit():
        post_service.delete_post(post, current_user)
        flash(f"“{post.topic}” was deleted.", "success")
        return htmx_redirect("projects.show", project_id=project.id)
    return page_or_fragment(
        "posts/delete.html", "posts/delete.html", post=post, project=project, form=form
    )


def post_sources(post) -> list:
    """The sources the post was written from that still exist, in the order used."""
    found = {s.id: s for s in source_service.list_sources(post.project, limit=100)[0]}
    return [found[i] for i in post.source_ids if i in found]
