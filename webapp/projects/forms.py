"""Project forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class ProjectForm(FlaskForm):
    name = StringField(
        "Project name",
        validators=[
            DataRequired("Give the project a name."),
            Length(max=200, message="Keep the name to 200 characters or fewer."),
        ],
        description="A client, a campaign or a topic, e.g. “Tech Blog Q4”.",
    )
    description = TextAreaField(
        "Description (optional)",
        validators=[Optional(), Length(max=1000)],
        description="Who it is for and what it should sound like.",
    )


class ProjectEditForm(ProjectForm):
    approval_required = BooleanField(
        "Require approval",
        description="Exports, ZIPs and share links then take only posts approved at their "
        "current version.",
    )
