"""Link opportunity form."""

from flask_wtf import FlaskForm
from wtforms import StringField, URLField
from wtforms.validators import DataRequired, Length


class LinkForm(FlaskForm):
    target_url = URLField(
        "Target URL",
        validators=[DataRequired("Enter the address of the page."), Length(max=2048)],
        description="The page posts should link to, with https://.",
    )
    keywords = StringField(
        "Keywords",
        validators=[DataRequired("Give at least one keyword."), Length(max=2100)],
        description="Comma-separated; the first mention in a post becomes the link.",
    )
    anchor_text = StringField("Preferred link text (optional)", validators=[Length(max=200)])
