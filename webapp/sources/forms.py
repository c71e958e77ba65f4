"""Source forms."""

from flask_wtf import FlaskForm
from wtforms import StringField, URLField
from wtforms.validators import DataRequired

from ..forms import at_most


class UrlImportForm(FlaskForm):
    url = URLField(
        "Web page address",
        validators=[DataRequired("Enter the address of a web page."), at_most(2048, "An address")],
        description="An article or documentation page; its main text is imported.",
    )


class RenameForm(FlaskForm):
    filename = StringField(
        "Name", validators=[DataRequired("Give the source a name."), at_most(255, "A name")]
    )
