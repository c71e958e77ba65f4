"""Workspace forms."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..services.workspaces import NAME_MAX
from ..vocabulary import INVITABLE_ROLES


class WorkspaceForm(FlaskForm):
    name = StringField(
        "Workspace name",
        validators=[DataRequired("Give the workspace a name."), Length(max=NAME_MAX)],
        description="Your team or client, e.g. “Acme marketing”.",
    )


class MemberRoleForm(FlaskForm):
    role = SelectField(
        "Role",
        choices=[(role.value, role.value.capitalize()) for role in INVITABLE_ROLES],
        validators=[DataRequired()],
    )
