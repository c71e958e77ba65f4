"""Checking slot values: a workflow's slots on a generation request, and the outline a
person edits at the outline checkpoint. Every problem is VALIDATION_ERROR (400) with
`errors[].loc` naming the slot: ["body", "slots", "<slot_id>", ...]."""

from __future__ import annotations

from ...errors import ValidationFailed
from ...vocabulary import SlotType
from .catalog import WorkflowSpec

OUTLINE_MAX_SECTIONS = 20
HEADING_MAX = 150
TITLE_MAX = 200
POINT_MAX = 500
POINTS_MAX = 20


def slot_error(loc: list, message: str, type_: str = "value_error") -> ValidationFailed:
    """VALIDATION_ERROR for the slot at `loc` (after ["body", "slots"])."""
    return ValidationFailed.at(["slots", *loc], message, type_)


def check_workflow_slots(spec: WorkflowSpec, slots: dict | None) -> dict:
    """The request's slot values checked against `spec`: unknown slots, missing required
    ones and values of the wrong type are refused. Returns {slot_id: value} with empty
    optional text left out."""
    slots = slots or {}
    known = {s.slot_id for s in spec.required_slots}
    for slot_id in slots:
        if slot_id not in known:
            takes = ", ".join(sorted(known)) or "no slots"
            raise slot_error(
                [slot_id], f"{spec.spec_id} takes {takes}; there is no slot {slot_id!r}."
            )
    checked = {}
    for slot in spec.required_slots:
        value = slots.get(slot.slot_id)
        if value is None or value == "" or value == []:
            if slot.required:
                raise slot_error(
                    [slot.slot_id], f"{spec.spec_id} needs the slot {slot.slot_id}.", "missing"
                )
            continue
        checked[slot.slot_id] = _checked_value(slot, value)
    return checked


def _checked_value(slot, value):
    if slot.type in (SlotType.TEXT, SlotType.POST_ID):
        if not isinstance(value, str):
            raise slot_error([slot.slot_id], f"{slot.slot_id} must be text.", "string_type")
        value = value.strip()
        if len(value) > slot.max_length:
            raise slot_error(
                [slot.slot_id], f"{slot.slot_id} is longer than {slot.max_length} characters."
            )
        return value
    if slot.type == SlotType.CHOICE:
        if value not in slot.options:
            raise slot_error(
                [slot.slot_id], f"{slot.slot_id} must be one of: {', '.join(slot.options)}.", "enum"
            )
        return value
    if slot.type == SlotType.CHOICES:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise slot_error(
                [slot.slot_id], f"{slot.slot_id} must be a list of: {', '.join(slot.options)}."
            )
        wrong = [v for v in value if v not in slot.options]
        if wrong:
            raise slot_error(
                [slot.slot_id],
                f"{slot.slot_id}: {wrong[0]!r} is not one of {', '.join(slot.options)}.",
                "enum",
            )
        return list(dict.fromkeys(value))
    raise slot_error([slot.slot_id], f"{slot.slot_id} cannot be set on a request.")


def check_outline(value, loc: list | None = None) -> dict:
    """An edited outline, normalised: {"title", "sections": [{"heading", "points"}]} with
    1-20 sections, each with a heading (points may be empty). VALIDATION_ERROR at
    ["body", "slots", *loc] otherwise."""
    loc = loc if loc is not None else ["outline"]
    if not isinstance(value, dict):
        raise slot_error(loc, 'An outline is {"title", "sections": [{"heading", "points"}]}.')
    title = value.get("title")
    if not isinstance(title, str) or not " ".join(title.split()):
        raise slot_error([*loc, "title"], "The outline needs a title.")
    sections = value.get("sections")
    if not isinstance(sections, list) or not sections:
        raise slot_error([*loc, "sections"], "The outline needs at least one section.")
    if len(sections) > OUTLINE_MAX_SECTIONS:
        raise slot_error(
            [*loc, "sections"], f"An outline has at most {OUTLINE_MAX_SECTIONS} sections."
        )
    return {
        "title": " ".join(title.split())[:TITLE_MAX],
        "sections": [_checked_section(s, [*loc, "sections", i]) for i, s in enumerate(sections)],
    }


def _checked_section(section, loc: list) -> dict:
    if not isinstance(section, dict):
        raise slot_error(loc, 'A section is {"heading", "points"}.')
    heading = section.get("heading")
    if not isinstance(heading, str) or not " ".join(heading.split()):
        raise slot_error([*loc, "heading"], f"Section {loc[-1] + 1} needs a heading.")
    points = section.get("points") or []
    if not isinstance(points, list) or not all(isinstance(p, str) for p in points):
        raise slot_error([*loc, "points"], "Points are a list of text.")
    if len(points) > POINTS_MAX:
        raise slot_error([*loc, "points"], f"A section has at most {POINTS_MAX} points.")
    return {
        "heading": " ".join(heading.split())[:HEADING_MAX],
        "points": [p for p in (" ".join(p.split())[:POINT_MAX] for p in points) if p],
    }
