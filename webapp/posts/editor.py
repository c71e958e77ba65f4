"""Editing a post's content, and its revisions: the editor page (autosave, live preview,
the conflict view), the list of revisions, a comparison and a restore."""

from __future__ import annotations

import re
from types import SimpleNamespace

from flask import flash, redirect, request, url_for
from flask_login import current_user
from markupsafe import Markup

from ..errors import AppError, ErrorCode
from ..extensions import db, htmx
from ..forms import ConfirmForm
from ..rendering import attach_error, page_or_fragment
from ..services import footnotes as footnote_service
from ..services import posts as post_service
from ..services.access import Permission
from ..services.review import channel_content, editing, revisions
from . import bp
from .edit_forms import EditForm
from .suggestions import panel as suggestions_panel


@bp.route("/posts/<post_id>/edit", methods=["GET", "POST"])
def edit(post_id: str):
    post = post_service.get_post_or_404(post_id, current_user, Permission.EDIT)
    editing.require_completed(post)
    form = EditForm()
    if request.method == "GET":
        form.fill_from(post)
        return editor_page(post, form)
    if not form.validate_on_submit():
        return answer(post, form, status=400)
    try:
        editing.edit(
            post,
            current_user,
            item_version=form.item_version.data,
            content=form.content_for(post.channel),
        )
    except AppError as error:
        if error.code == ErrorCode.VERSION_CONFLICT:
            return conflict(post, form)
        attach_error(form, error, form.source_field(post.channel).name)
        return answer(post, form, status=400)
    if not htmx:
        flash(f"Saved as version {post.item_version}.", "success")
        return redirect(url_for("posts.show", post_id=post.id))
    return answer(post, form, saved=True)


def editor_page(post, form: EditForm, status: int = 200, **extra):
    return page_or_fragment(
        "posts/edit.html",
        "posts/_editor.html",
        status=status,
        post=post,
        project=post.project,
        form=form,
        preview=preview_of(post, form),
        **suggestions_panel(post, current_user),
        **extra,
    )


def answer(post, form: EditForm, saved: bool = False, status: int = 200):
    """A save's answer: to autosave (htmx) the status line and the version the next save
    is made from; to a plain form post the page again, with its messages."""
    if not htmx:
        return editor_page(post, form, status=status)
    return page_or_fragment(
        "posts/_edit_status.html",
        "posts/_edit_status.html",
        status=status,
        post=post,
        form=form,
        saved=saved,
    )


def conflict(post, form: EditForm):
    """Someone saved first: their text and the difference from this one, with this one
    kept in the form to save over theirs or to drop. htmx swaps the whole editor (it is
    answered 200 so that htmx swaps it); a plain post gets the page, 409."""
    db.session.refresh(post)
    mine = form.content_for(post.channel)
    # Saving now means "keep mine": made from their version.
    form.item_version.data, form.item_version.raw_data = post.item_version, [str(post.item_version)]
    extra = {"conflict": {"theirs": post.content or {}, "diff": difference(post, mine)}}
    if not htmx:
        return editor_page(post, form, status=409, **extra)
    body, _ = editor_page(post, form, **extra)
    return body, 200, {"HX-Retarget": "#editor", "HX-Reswap": "outerHTML"}


def difference(post, mine: dict) -> str:
    """Their saved text against this one, as a unified diff of the Markdown."""
    try:
        ours = channel_content.edited_content(post.channel, post.content or {}, mine, None)
    except AppError:
        ours = {**(post.content or {}), **{k: v for k, v in mine.items() if isinstance(v, str)}}
    theirs = SimpleNamespace(content=post.content or {}, item_version=post.item_version)
    yours = SimpleNamespace(content=ours, item_version="(yours)")
    return revisions.diff(theirs, yours)


@bp.post("/posts/<post_id>/preview")
def preview(post_id: str):
    """The live preview of the editor's text, rendered as the post page renders it."""
    post = post_service.get_post_or_404(post_id, current_user, Permission.EDIT)
    form = EditForm()
    return page_or_fragment(
        "posts/_edit_preview.html",
        "posts/_edit_preview.html",
        post=post,
        project=post.project,
        preview=preview_of(post, form),
    )


_HEADING_TAG = re.compile(r"<(/?)h([1-5])\b")


def below_the_page_heading(html: Markup) -> Markup:
    """The preview's headings one level down: the page's one h1 is its own ("Edit …"),
    not the post's title. `html` is sanitised already; only tag names change."""
    demoted = _HEADING_TAG.sub(lambda tag: f"<{tag[1]}h{int(tag[2]) + 1}", html)
    return Markup(demoted)  # noqa: S704 - sanitised HTML, only heading tag names changed


def preview_of(post, form: EditForm) -> dict:
    """What the post would look like with the form's text: {"content", "body",
    "footnotes", "referenced", "error"}."""
    try:
        content = channel_content.edited_content(
            post.channel, post.content or {}, form.content_for(post.channel), None
        )
        content = editing.with_resolved_citations(post.channel, content)
        error = None
    except AppError as problem:
        content, error = post.content or {}, problem.message
    shown = SimpleNamespace(content=content, project_id=post.project_id)
    footnotes = footnote_service.footnotes_of(shown)
    body, referenced = footnote_service.cited_html(content.get("markdown"), footnotes)
    return {
        "content": content,
        "body": below_the_page_heading(body),
        "footnotes": footnotes,
        "referenced": referenced,
        "error": error,
    }


# ------------------------------------------------------------------ revisions


@bp.get("/posts/<post_id>/revisions")
def revisions_page(post_id: str):
    post = post_service.get_post_or_404(post_id, current_user)
    listed = revisions.list_revisions(post, limit=100)
    newest = listed.items[0] if listed.items else None
    against = request.args.get("against")
    compare = request.args.get("compare")
    shown = None
    if compare and against:
        newer = revisions.get_revision_or_404(post, compare)
        older = revisions.get_revision_or_404(post, against)
        shown = {"newer": newer, "older": older, "lines": diff_lines(revisions.diff(older, newer))}
    return page_or_fragment(
        "posts/revisions.html",
        "posts/revisions.html",
        post=post,
        project=post.project,
        revisions=listed.items,
        total=listed.total,
        newest=newest,
        shown=shown,
    )


def diff_lines(diff: str) -> list[tuple[str, str]]:
    """The diff as (kind, text) lines for the page: "add", "remove", "hunk" or "same"."""
    kinds = {"+": "add", "-": "remove", "@": "hunk"}
    lines = diff.splitlines()[2:]  # the ---/+++ header names what the page already says
    return [
        (kinds.get(line[:1], "same"), line[1:] if line[:1] in "+- " else line) for line in lines
    ]


@bp.post("/posts/<post_id>/revisions/<revision_id>/restore")
def restore(post_id: str, revision_id: str):
    post = post_service.get_post_or_404(post_id, current_user, Permission.EDIT)
    revision = revisions.get_revision_or_404(post, revision_id)
    if ConfirmForm().validate_on_submit():
        editing.restore(post, current_user, revision, None)
        flash(
            f"Revision {revision.item_version} restored as version {post.item_version}.", "success"
        )
    return redirect(url_for("posts.show", post_id=post.id))
