"""Source forms."""

from flask_wtf import FlaskForm
from wtforms import StringField, URLField
from wtforms.validators import DataRequired, Length


class UrlImportForm(FlaskForm):
    url = URLField(
        "Web page address",
        validators=[DataRequired("Enter the address of a web page."), Length(max=2048)],
        description="An article or documentation page; its main text is imported.",
    )


class RenameForm(FlaskForm):
    filename = StringField(
        "Name",
        validators=[
            DataRequired("Give the source a name."),
            Length(max=255, message="Keep the name to 255 characters or fewer."),
        ],
    )
