"""Project forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from ..forms import at_most


class ProjectForm(FlaskForm):
    name = StringField(
        "Project name",
        validators=[DataRequired("Give the project a name."), at_most(200, "A project name")],
        description="A client, a campaign or a topic, e.g. “Tech Blog Q4”.",
    )
    description = TextAreaField(
        "Description (optional)",
        validators=[Optional(), at_most(1000, "The description")],
        description="Who it is for and what it should sound like.",
    )


class ProjectEditForm(ProjectForm):
    approval_required = BooleanField(
        "Require approval",
        description="Exports, ZIPs and share links then take only posts approved at their "
        "current version.",
    )
