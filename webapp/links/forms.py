"""Link opportunity form."""

from flask_wtf import FlaskForm
from wtforms import StringField, URLField
from wtforms.validators import DataRequired

from ..forms import at_most


class LinkForm(FlaskForm):
    target_url = URLField(
        "Target URL",
        validators=[DataRequired("Enter the address of the page."), at_most(2048, "An address")],
        description="The page posts should link to, with https://.",
    )
    keywords = StringField(
        "Keywords",
        validators=[DataRequired("Give at least one keyword."), at_most(2100, "The keywords")],
        description="Comma-separated; the first mention in a post becomes the link.",
    )
    anchor_text = StringField(
        "Preferred link text (optional)", validators=[at_most(200, "The link text")]
    )
