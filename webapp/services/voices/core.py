"""Brand voices kept: limits, who may manage them on which plan, and the CRUD.

Every member of the workspace reads them; admins and the owner manage them
(Permission.MANAGE), and only while the workspace's plan holder (its owner) is on the
starter plan or above. A generation request names one as ``custom:<id>``; the worker
renders it into instructions for the model (`brief_voice`).
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ...errors import ErrorCode, Forbidden, NotFound, ValidationFailed
from ...extensions import db
from ...models import BrandVoice, User, Workspace
from ...models.base import is_valid_id
from ...vocabulary import PlanName, Voice
from .. import plans
from ..access import Permission, require, role_in
from ..paging import Page, paginate

CUSTOM_PREFIX = "custom:"
NAME_MAX = 60
DESCRIPTION_MAX = 1000
RULE_MAX = 200  # one do or don't
RULES_MAX = 10  # do's, and don'ts, each
EXAMPLE_MAX = 2000
EXAMPLES_MAX = 3
MIN_PLAN = PlanName.STARTER
BUILT_IN, CUSTOM = "built_in", "custom"
# Built-in names, as sent and as shown ("gen_z", "gen z"): no brand voice takes them.
RESERVED_NAMES = frozenset(
    name for voice in Voice for name in (voice.value, voice.value.replace("_", " "))
)


class VoiceNotFound(NotFound):
    code = ErrorCode.VOICE_NOT_FOUND
    message = "Voice not found."


# --------------------------------------------------------------------- plans


def plan_of(workspace: Workspace) -> plans.Plan:
    """The plan the workspace runs on: its owner's."""
    return plans.plan_for(workspace.owner)


def brand_voices_allowed(plan: plans.Plan) -> bool:
    """Whether `plan` includes brand voices (starter and above)."""
    order = list(PlanName)
    return order.index(plan.name) >= order.index(MIN_PLAN)


def require_brand_voices(plan: plans.Plan) -> None:
    """VOICE_NOT_AVAILABLE (403) unless `plan` includes brand voices."""
    if not brand_voices_allowed(plan):
        raise Forbidden(
            f"Brand voices need the {MIN_PLAN} plan or above; this workspace runs on its "
            f"owner's {plan.name} plan.",
            code=ErrorCode.VOICE_NOT_AVAILABLE,
        )


def min_plan_of(voice: Voice) -> PlanName:
    """The lowest plan that includes built-in `voice`."""
    return next(plan.name for plan in plans.PLANS.values() if voice in plan.voices)


# --------------------------------------------------------------------- reading


def reference(voice: BrandVoice) -> str:
    """How a generation request names `voice`: ``custom:<id>``."""
    return f"{CUSTOM_PREFIX}{voice.id}"


def custom_id(voice: str) -> str | None:
    """The id in a ``custom:<id>`` voice name; None for a built-in name."""
    return voice[len(CUSTOM_PREFIX) :] if voice.startswith(CUSTOM_PREFIX) else None


def list_voices(workspace: Workspace, limit: int = 100, offset: int = 0) -> Page[BrandVoice]:
    """A page of the workspace's voices by name, and their total."""
    query = db.select(BrandVoice).where(BrandVoice.workspace_id == workspace.id)
    return paginate(
        query, order_by=(BrandVoice.name_key, BrandVoice.id), limit=limit, offset=offset
    )


def get_voice_or_404(workspace: Workspace, voice_id: str) -> BrandVoice:
    """A voice of `workspace` (one the caller already fetched under their role);
    VOICE_NOT_FOUND for a malformed id, a missing voice or another workspace's."""
    voice = None
    if is_valid_id(voice_id):
        voice = db.session.execute(
            db.select(BrandVoice).where(
                BrandVoice.id == voice_id, BrandVoice.workspace_id == workspace.id
            )
        ).scalar_one_or_none()
    if voice is None:
        raise VoiceNotFound()
    return voice


def catalogue(workspace: Workspace) -> list[dict]:
    """Every voice a post in `workspace` may name: the built-in ones, then the
    workspace's own by name, each with the lowest plan it needs and whether the plan the
    workspace runs on has it (`GET /voices`)."""
    plan = plan_of(workspace)
    built_in = [
        {
            "id": voice.value,
            "name": voice.value.replace("_", " ").title(),
            "kind": BUILT_IN,
            "min_plan": min_plan_of(voice),
            "available": voice in plan.voices,
        }
        for voice in Voice
    ]
    allowed = brand_voices_allowed(plan)
    custom = [
        {
            "id": reference(voice),
            "name": voice.name,
            "kind": CUSTOM,
            "min_plan": MIN_PLAN,
            "available": allowed,
        }
        for voice in list_voices(workspace, limit=1000).items
    ]
    return built_in + custom


# --------------------------------------------------------------------- managing


def create_voice(workspace: Workspace, actor: User, **fields) -> BrandVoice:
    """A new voice of `workspace` (admins and the owner, starter plan and above), from
    `name` and `description` and optional `dos`, `donts` and `examples` (lists of
    strings). VALIDATION_ERROR at the field for what breaks the limits or a name taken
    (built-in, or another voice of the workspace, whatever the case)."""
    require(role_in(workspace.id, actor), Permission.MANAGE)
    require_brand_voices(plan_of(workspace))
    values = clean_fields({"dos": [], "donts": [], "examples": [], **fields}, creating=True)
    _check_name_free(workspace.id, values)
    voice = BrandVoice(workspace_id=workspace.id, created_by=actor.id, **values)
    db.session.add(voice)
    return _saved(voice)


def update_voice(voice: BrandVoice, actor: User, **changes) -> BrandVoice:
    """Change the fields given (as `create_voice` takes them); the same rules apply."""
    require(role_in(voice.workspace_id, actor), Permission.MANAGE)
    require_brand_voices(plan_of(voice.workspace))
    values = clean_fields(changes)
    _check_name_free(voice.workspace_id, values, voice.id)
    for name, value in values.items():
        setattr(voice, name, value)
    return _saved(voice)


def delete_voice(voice: BrandVoice, actor: User) -> None:
    """Delete a voice (admins and the owner, on any plan). Posts already requested in it
    are written in the professional voice."""
    require(role_in(voice.workspace_id, actor), Permission.MANAGE)
    db.session.delete(voice)
    db.session.commit()


def clean_fields(fields: dict, creating: bool = False) -> dict:
    """The given fields stripped and checked against the limits, with `name_key`
    beside `name`; VALIDATION_ERROR listing every field out of bounds."""
    values = {}
    if "name" in fields or creating:
        values["name"] = " ".join(str(fields.get("name") or "").split())
    if "description" in fields or creating:
        values["description"] = str(fields.get("description") or "").strip()
    for name in ("dos", "donts", "examples"):
        if name in fields:
            values[name] = [str(item).strip() for item in fields[name] or [] if str(item).strip()]
    errors = _text_errors(values) + _list_errors(values)
    if errors:
        raise ValidationFailed(errors[0]["msg"], errors=errors)
    if "name" in values:
        values["name_key"] = values["name"].lower()
    return values


_TEXT_LIMITS = {
    "name": (NAME_MAX, "Give the voice a name of 1 to {} characters."),
    "description": (DESCRIPTION_MAX, "Describe the tone in 1 to {} characters."),
}
_LIST_LIMITS = {
    "dos": (RULES_MAX, RULE_MAX, "do's"),
    "donts": (RULES_MAX, RULE_MAX, "don'ts"),
    "examples": (EXAMPLES_MAX, EXAMPLE_MAX, "examples"),
}


def _text_errors(values: dict) -> list[dict]:
    errors = []
    for name, (longest, message) in _TEXT_LIMITS.items():
        if name in values and not 1 <= len(values[name]) <= longest:
            errors.append(field_error([name], message.format(longest)))
    name = values.get("name")
    if name and name.lower() in RESERVED_NAMES:
        errors.append(field_error(["name"], f"“{name}” is the name of a built-in voice."))
    return errors


def _list_errors(values: dict) -> list[dict]:
    errors = []
    for name, (most, longest, label) in _LIST_LIMITS.items():
        items = values.get(name) or []
        if len(items) > most:
            errors.append(field_error([name], f"Give at most {most} {label}."))
        errors += [
            field_error([name, index], f"Keep each of the {label} to {longest} characters.")
            for index, item in enumerate(items)
            if len(item) > longest
        ]
    return errors


def field_error(loc: list, msg: str) -> dict:
    return {"loc": ["body", *loc], "msg": msg, "type": "value_error"}


def _name_taken(name: str) -> ValidationFailed:
    return ValidationFailed(
        f"This workspace has a voice named “{name}” already.",
        errors=[field_error(["name"], f"This workspace has a voice named “{name}” already.")],
    )


def _check_name_free(workspace_id: str, values: dict, voice_id: str | None = None) -> None:
    """VALIDATION_ERROR at `name` when another voice of the workspace has the name."""
    if "name" not in values:
        return
    taken = db.session.execute(
        db.select(BrandVoice.id).where(
            BrandVoice.workspace_id == workspace_id,
            BrandVoice.name_key == values["name_key"],
            BrandVoice.id != voice_id if voice_id else db.true(),
        )
    ).first()
    if taken:
        raise _name_taken(values["name"])


def _saved(voice: BrandVoice) -> BrandVoice:
    """Commit; two requests naming voices alike at once meet the unique constraint."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise _name_taken(voice.name) from None
    return voice
