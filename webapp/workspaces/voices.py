"""Brand voice pages of a workspace: the list (every member), and creating, editing and
deleting a voice (admins and the owner)."""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from flask_login import current_user

from ..errors import AppError, ValidationFailed
from ..forms import ConfirmForm
from ..rendering import attach_error, htmx_redirect
from ..services import voices as voice_service
from ..services import workspaces as workspace_service
from ..services.access import Permission
from . import bp
from .forms import VoiceForm


@bp.app_template_filter("voice_label")
def voice_label(voice: str) -> str:
    """A post's voice as people read it: a brand voice (``custom:<id>``) by its name."""
    if voice_service.custom_id(voice) is None:
        return voice.replace("_", " ")
    name = voice_service.names_of([voice]).get(voice)
    return f"{name} (brand voice)" if name else "a deleted brand voice"


@bp.get("/<workspace_id>/voices")
def voices(workspace_id: str):
    workspace = workspace_service.get_workspace_or_404(workspace_id, current_user)
    listed, total = voice_service.list_voices(workspace)
    plan = voice_service.plan_of(workspace)
    return render_template(
        "workspaces/voices.html",
        workspace=workspace,
        voices=listed,
        total=total,
        plan=plan,
        allowed=voice_service.brand_voices_allowed(plan),
    )


@bp.route("/<workspace_id>/voices/new", methods=["GET", "POST"])
def new_voice(workspace_id: str):
    return _voice_form(workspace_id, None)


@bp.route("/<workspace_id>/voices/<voice_id>/edit", methods=["GET", "POST"])
def edit_voice(workspace_id: str, voice_id: str):
    return _voice_form(workspace_id, voice_id)


def _voice_form(workspace_id: str, voice_id: str | None):
    """The form that creates a voice (no `voice_id`) or changes one, and its submission."""
    workspace = workspace_service.get_workspace_or_404(
        workspace_id, current_user, Permission.MANAGE
    )
    voice = voice_service.get_voice_or_404(workspace, voice_id) if voice_id else None
    form = VoiceForm(data=_data(voice) if voice and request.method != "POST" else None)
    if form.validate_on_submit():
        try:
            if voice is None:
                voice = voice_service.create_voice(workspace, current_user, **_fields(form))
                done = "created"
            else:
                voice_service.update_voice(voice, current_user, **_fields(form))
                done = "saved"
        except AppError as error:
            _attach(form, error)
        else:
            flash(f"Brand voice “{voice.name}” {done}.", "success")
            return htmx_redirect("workspaces.voices", workspace_id=workspace.id)
    return _form_page(workspace, form, voice)


@bp.route("/<workspace_id>/voices/<voice_id>/delete", methods=["GET", "POST"])
def delete_voice(workspace_id: str, voice_id: str):
    workspace = workspace_service.get_workspace_or_404(
        workspace_id, current_user, Permission.MANAGE
    )
    voice = voice_service.get_voice_or_404(workspace, voice_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = voice.name
        voice_service.delete_voice(voice, current_user)
        flash(f"Brand voice “{name}” deleted.", "success")
        return htmx_redirect("workspaces.voices", workspace_id=workspace.id)
    return render_template(
        "workspaces/voice_delete.html",
        workspace=workspace,
        voice=voice,
        form=form,
        cancel_url=url_for("workspaces.voices", workspace_id=workspace.id),
    )


def _form_page(workspace, form: VoiceForm, voice):
    plan = voice_service.plan_of(workspace)
    return (
        render_template(
            "workspaces/voice_form.html",
            workspace=workspace,
            form=form,
            voice=voice,
            plan=plan,
            allowed=voice_service.brand_voices_allowed(plan),
        ),
        400 if form.is_submitted() else 200,
    )


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _filled_examples(form: VoiceForm) -> list:
    return [f for f in form.example_fields() if (f.data or "").strip()]


def _fields(form: VoiceForm) -> dict:
    return {
        "name": form.name.data,
        "description": form.description.data,
        "dos": _lines(form.dos.data),
        "donts": _lines(form.donts.data),
        "examples": [f.data for f in _filled_examples(form)],
    }


def _data(voice) -> dict:
    examples = {f"example_{n}": text for n, text in enumerate(voice.examples, 1)}
    return {
        "name": voice.name,
        "description": voice.description,
        "dos": "\n".join(voice.dos),
        "donts": "\n".join(voice.donts),
        **examples,
    }


def _attach(form: VoiceForm, error: AppError) -> None:
    """The service's errors next to their fields: an example's at its own box."""
    if not isinstance(error, ValidationFailed) or not error.errors:
        attach_error(form, error)
        return
    examples = _filled_examples(form)
    for problem in error.errors:
        loc = problem["loc"][1:]
        field = getattr(form, str(loc[0]), None) if loc else None
        if loc and loc[0] == "examples":
            index = loc[1] if len(loc) > 1 else 0
            field = examples[index] if index < len(examples) else form.example_1
        if field is None:
            form.form_errors.append(problem["msg"])
        elif problem["msg"] not in field.errors:
            field.errors = [*field.errors, problem["msg"]]
