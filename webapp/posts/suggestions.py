"""Model suggestions beside the editor: ask for one on a passage, watch it being written,
accept or reject it. Plain form posts that come back to the editor page; with htmx the
list (or the one card) is swapped in place, and a pending card polls until it is done."""

from __future__ import annotations

import difflib

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from ..errors import AppError
from ..extensions import htmx
from ..forms import ChoiceField, ConfirmForm, at_most
from ..rendering import htmx_redirect, page_or_fragment
from ..services import posts as post_service
from ..services.access import Permission
from ..services.review import quotes, suggestion_writer
from ..services.review import suggestions as suggestion_service
from ..vocabulary import SuggestionAction
from . import bp

ACTION_LABELS = {
    SuggestionAction.REWRITE: "Rewrite",
    SuggestionAction.SHORTEN: "Shorten",
    SuggestionAction.EXPAND: "Expand",
    SuggestionAction.FIX: "Fix grammar",
    SuggestionAction.TONE: "Change tone",
}
SHOWN = 20


class SuggestionForm(FlaskForm):
    quote = TextAreaField(
        "Passage",
        validators=[
            DataRequired("Select or paste a passage of the post."),
            at_most(5000, "A passage"),
        ],
        description="Text of the post, exactly as it appears (it must occur once).",
        id="suggestion-quote",
    )
    action = ChoiceField(
        "Change",
        invalid="Choose one of the changes offered.",
        choices=[SelectChoice(a, label) for a, label in ACTION_LABELS.items()],
        id="suggestion-action",
    )
    instructions = TextAreaField(
        "Instructions",
        validators=[Optional(), at_most(suggestion_service.INSTRUCTIONS_MAX, "The instructions")],
        id="suggestion-instructions",
    )
    tone = StringField(
        "Tone",
        validators=[Optional(), at_most(suggestion_service.TONE_MAX, "A tone")],
        description="For “Change tone”: e.g. friendly, formal.",
        id="suggestion-tone",
    )


def panel(post, user, form: SuggestionForm | None = None) -> dict:
    """What templates/posts/_suggestions.html needs (the editor page includes it)."""
    offline = not suggestion_writer.uses_model(post)
    form = form or SuggestionForm(formdata=None)
    if offline:
        form.action.choices = [
            SelectChoice(action, label)
            for action, label in ACTION_LABELS.items()
            if action in suggestion_writer.OFFLINE_ACTIONS
        ]
    return {
        "suggestions": suggestion_service.list_suggestions(post, limit=SHOWN).items,
        "suggestions_possible": suggestion_service.can_suggest_on(post),
        "suggestion_form": form,
        "suggestions_offline": offline,
        "suggestion_labels": ACTION_LABELS,
        "suggestion_diff": word_diff,
        "suggestion_confirm_form": ConfirmForm(formdata=None),
    }


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """`before` → `after` word by word: ("same" | "del" | "ins", text) runs."""
    old, new = quotes.collapse(before).split(), quotes.collapse(after or "").split()
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("del", " ".join(old[i1:i2])))
        if j2 > j1:
            runs.append(("ins", " ".join(new[j1:j2])))
    return runs


def back_to_editor(post_id: str):
    return htmx_redirect("posts.edit", post_id=post_id)


@bp.post("/posts/<post_id>/suggestions")
def suggest(post_id: str):
    post = post_service.get_post_or_404(post_id, current_user, Permission.EDIT)
    form = SuggestionForm()
    if form.validate_on_submit():
        try:
            suggestion_service.request_suggestion(
                post,
                current_user,
                form.action.data,
                form.quote.data,
                form.instructions.data,
                form.tone.data,
            )
            form = SuggestionForm(formdata=None)
            if not htmx:
                flash("Asked for a suggestion; it appears below when it is written.", "success")
        except AppError as error:
            form.quote.errors = [*form.quote.errors, error.message]
    if not htmx:
        for errors in form.errors.values():
            flash(errors[0], "error")
        return redirect(url_for("posts.edit", post_id=post.id) + "#suggestions")
    return page_or_fragment(
        "posts/edit.html",
        "posts/_suggestions.html",
        post=post,
        project=post.project,
        **panel(post, current_user, form),
    )


@bp.get("/suggestions/<suggestion_id>")
def suggestion(suggestion_id: str):
    """One card (what a pending card polls); the editor page without htmx."""
    found = suggestion_service.get_suggestion_or_404(suggestion_id, current_user)
    if not htmx:
        return redirect(url_for("posts.edit", post_id=found.post_id) + "#suggestions")
    return card(found)


def card(found):
    post = found.post
    return page_or_fragment(
        "posts/_suggestion.html",
        "posts/_suggestion.html",
        suggestion=found,
        post=post,
        project=post.project,
        suggestion_labels=ACTION_LABELS,
        suggestion_diff=word_diff,
        suggestion_confirm_form=ConfirmForm(formdata=None),
    )


@bp.post("/suggestions/<suggestion_id>/accept")
def accept(suggestion_id: str):
    found = suggestion_service.get_suggestion_or_404(suggestion_id, current_user, Permission.EDIT)
    post_id = found.post_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        version = int(request.form.get("item_version", ""))
    except ValueError:
        abort(400)
    try:
        suggestion_service.accept(found, current_user, version)
        flash("Suggestion accepted: the post has a new revision.", "success")
    except AppError as error:
        flash(error.message, "error")
    return back_to_editor(post_id)


@bp.post("/suggestions/<suggestion_id>/reject")
def reject(suggestion_id: str):
    found = suggestion_service.get_suggestion_or_404(suggestion_id, current_user, Permission.EDIT)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        suggestion_service.reject(found)
    except AppError as error:
        flash(error.message, "error")
    if htmx:
        return card(found)
    return redirect(url_for("posts.edit", post_id=found.post_id) + "#suggestions")
