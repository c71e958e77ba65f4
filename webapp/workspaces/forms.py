"""Workspace forms."""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired

from ..forms import ChoiceField, at_most
from ..services import voices
from ..services.workspaces import NAME_MAX
from ..vocabulary import INVITABLE_ROLES


class WorkspaceForm(FlaskForm):
    name = StringField(
        "Workspace name",
        validators=[
            DataRequired("Give the workspace a name."),
            at_most(NAME_MAX, "A workspace name"),
        ],
        description="Your team or client, e.g. “Acme marketing”.",
    )


class MemberRoleForm(FlaskForm):
    role = ChoiceField(
        "Role",
        choices=[(role.value, role.value.capitalize()) for role in INVITABLE_ROLES],
        validators=[DataRequired("Choose a role.")],
        invalid="Choose one of the roles: " + ", ".join(INVITABLE_ROLES) + ".",
    )


class VoiceForm(FlaskForm):
    """A brand voice; services.voices checks the limits (errors come back per field)."""

    name = StringField(
        "Name", description=f"Up to {voices.NAME_MAX} characters, e.g. “Friendly expert”."
    )
    description = TextAreaField(
        "Tone",
        description=f"How posts in this voice should sound, up to {voices.DESCRIPTION_MAX} "
        "characters.",
    )
    dos = TextAreaField(
        "Do's",
        description=f"One per line: up to {voices.RULES_MAX}, each up to {voices.RULE_MAX} "
        "characters.",
    )
    donts = TextAreaField("Don'ts", description="One per line, as for the do's.")
    example_1 = TextAreaField("Example passage 1")
    example_2 = TextAreaField("Example passage 2")
    example_3 = TextAreaField(
        "Example passage 3",
        description=f"Optional: up to three passages written in this voice, each up to "
        f"{voices.EXAMPLE_MAX} characters.",
    )

    def example_fields(self) -> list:
        return [self.example_1, self.example_2, self.example_3]
