"""The generation form."""
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..models.post import CHANNELS
from ..services.plans import ALL_VOICES

LENGTH_CHOICES = [("short", "Short · 800–1,200 words"), ("medium", "Medium · 1,500–2,000 words"),
                  ("long", "Long · 2,500–3,500 words")]
CHANNEL_LABELS = {"blog": "Blog post", "social": "Social post", "email": "Email newsletter",
                  "twitter": "X / Twitter thread", "linkedin": "LinkedIn post"}


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class GenerateForm(FlaskForm):
    topic = StringField("Topic",
                        validators=[DataRequired("Give the post a topic."), Length(max=200)],
                        description="What the post is about, up to 200 characters.")
    voice = SelectField("Voice", choices=[(v, v.replace("_", " ").title()) for v in ALL_VOICES],
                        default="professional")
    target_length = SelectField("Length", choices=LENGTH_CHOICES, default="medium",
                                description="For blog posts and newsletters; social "
                                            "formats scale to their platform.")
    channel = SelectField("Format", choices=[(c, CHANNEL_LABELS[c]) for c in CHANNELS],
                          default="blog")
    custom_instructions = TextAreaField("Instructions (optional)",
                                        validators=[Length(max=2000)],
                                        description="Anything the writer should do, up to "
                                                    "2,000 characters.")
    source_ids = CheckboxList("Sources", choices=[], validate_choice=False)
