"""The outline a person edits at a job's checkpoint: its title and sections (a heading and
points, one per line), with the version it was made from."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    Field,
    FieldList,
    Form,
    FormField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange

from ..forms import EXPIRED, VersionField
from ..services.workflows import checkpoints
from ..services.workflows.slots import OUTLINE_MAX_SECTIONS


class SectionForm(Form):
    heading = StringField("Heading")
    points = TextAreaField("Points", description="One per line.")


class OutlineForm(FlaskForm):
    item_version = VersionField(
        validators=[InputRequired(EXPIRED), NumberRange(min=1, message=EXPIRED)]
    )
    title = StringField("Title")
    sections = FieldList(FormField(SectionForm))

    @classmethod
    def of(cls, outline: dict, item_version: int) -> OutlineForm:
        """A form showing `outline` (not the request's fields)."""
        sections = [
            {"heading": s.get("heading", ""), "points": "\n".join(s.get("points") or [])}
            for s in outline.get("sections") or []
        ]
        data = {
            "item_version": item_version,
            "title": outline.get("title", ""),
            "sections": sections,
        }
        return cls(formdata=None, data=data)

    @classmethod
    def of_job(cls, job) -> OutlineForm:
        """A form showing the outline a paused job waits with."""
        return cls.of(checkpoints.outline_of(job) or {}, job.item_version)

    def outline(self) -> dict:
        """The outline the form says: {"title", "sections": [{"heading", "points"}]}."""
        return {
            "title": self.title.data or "",
            "sections": [
                {
                    "heading": entry.form.heading.data or "",
                    "points": [
                        p.strip() for p in (entry.form.points.data or "").splitlines() if p.strip()
                    ],
                }
                for entry in self.sections
            ],
        }

    def field_at(self, loc) -> Field | None:
        """The field a service error's `loc` names: [..., "outline", "title"],
        [..., "outline", "sections"] or [..., "outline", "sections", i, "heading"|"points"]."""
        loc = [str(part) for part in loc]
        rest = loc[loc.index("outline") + 1 :] if "outline" in loc else []
        if rest[:1] == ["title"]:
            return self.title
        if rest[:1] != ["sections"]:
            return None
        if len(rest) > 2 and rest[1].isdigit() and int(rest[1]) < len(self.sections):
            section = self.sections[int(rest[1])].form
            return section.points if rest[2] == "points" else section.heading
        return self.sections


def edited(outline: dict, action: str) -> tuple[dict, str | None, str | None]:
    """`outline` after one button of the editor ("add", "up-2", "down-0", "remove-1"):
    the outline, the field to focus next ("sections-2-up"...) and a message when the
    button could not do what it says."""
    sections = list(outline["sections"])
    verb, _, number = action.partition("-")
    if verb == "add":
        if len(sections) >= OUTLINE_MAX_SECTIONS:
            return outline, None, f"An outline has at most {OUTLINE_MAX_SECTIONS} sections."
        sections.append({"heading": "", "points": []})
        return {**outline, "sections": sections}, f"sections-{len(sections) - 1}-heading", None
    index = int(number) if number.isdigit() else -1
    if not 0 <= index < len(sections):
        return outline, None, None
    if verb == "remove":
        del sections[index]
        focus = f"sections-{min(index, len(sections) - 1)}-heading" if sections else "add"
        return {**outline, "sections": sections}, focus, None
    target = index - 1 if verb == "up" else index + 1 if verb == "down" else index
    if target == index or not 0 <= target < len(sections):
        return outline, None, None
    sections[index], sections[target] = sections[target], sections[index]
    # The moved section's button of the same way, or the other one at either end.
    way = {0: "down", len(sections) - 1: "up"}.get(target, verb)
    return {**outline, "sections": sections}, f"sections-{target}-{way}", None
