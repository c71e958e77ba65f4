"""Brand voices in generation: checking a request's voice, and the instructions the
worker sends the model."""

from __future__ import annotations

from ...errors import ErrorCode, Forbidden, ValidationFailed
from ...extensions import db
from ...models import BrandVoice, Project
from ...models.base import is_valid_id
from ...vocabulary import Voice
from .. import plans
from .core import CUSTOM_PREFIX, custom_id, field_error, require_brand_voices


def check_generation_voice(project: Project, voice: str, plan: plans.Plan) -> None:
    """A generation request's voice in `project`, run on `plan`: a built-in one must be
    on the plan, a ``custom:<id>`` one a voice of the project's workspace
    (VALIDATION_ERROR at body.voice) with brand voices on the plan. VOICE_NOT_AVAILABLE
    (403) otherwise."""
    voice_id = custom_id(voice)
    if voice_id is None:
        if voice not in plan.voices:
            raise Forbidden(
                f"The {voice} voice is not available on the {plan.name} plan.",
                code=ErrorCode.VOICE_NOT_AVAILABLE,
            )
        return
    found = (
        is_valid_id(voice_id)
        and db.session.execute(
            db.select(BrandVoice.id).where(
                BrandVoice.id == voice_id, BrandVoice.workspace_id == project.workspace_id
            )
        ).first()
    )
    if not found:
        message = "No such voice in this project's workspace."
        raise ValidationFailed(message, errors=[field_error(["voice"], message)])
    require_brand_voices(plan)


def guide_of(voice: BrandVoice) -> str:
    """The voice as instructions for the model: name, tone, do's, don'ts, examples."""
    lines = [f"Brand voice “{voice.name}”. Tone: {voice.description}"]
    if voice.dos:
        lines += ["Do:", *(f"- {rule}" for rule in voice.dos)]
    if voice.donts:
        lines += ["Don't:", *(f"- {rule}" for rule in voice.donts)]
    for number, example in enumerate(voice.examples, 1):
        lines += [
            f"Example passage {number} in this voice (imitate its tone, not its facts):",
            f"<example>\n{example}\n</example>",
        ]
    return "\n".join(lines)


def brief_voice(voice: str) -> tuple[str, str]:
    """(voice, guide) for the Brief of a post in `voice`: a brand voice's rendered
    instructions as the guide; one deleted since the request falls back to the
    professional voice; a built-in voice has no guide."""
    voice_id = custom_id(voice)
    if voice_id is None:
        return voice, ""
    found = db.session.get(BrandVoice, voice_id) if is_valid_id(voice_id) else None
    if found is None:
        return Voice.PROFESSIONAL.value, ""
    return voice, guide_of(found)


def names_of(references: list[str]) -> dict[str, str]:
    """{``custom:<id>``: the voice's name} for those of `references` that still exist
    (for showing a post's voice)."""
    ids = [i for ref in references if (i := custom_id(ref)) and is_valid_id(i)]
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(BrandVoice.id, BrandVoice.name).where(BrandVoice.id.in_(ids))
    ).all()
    return {f"{CUSTOM_PREFIX}{voice_id}": name for voice_id, name in rows}
