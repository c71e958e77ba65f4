"""The generation form."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..services.plans import ALL_VOICES
from ..vocabulary import Channel, Voice
from ..vocabulary import Length as TargetLength

LENGTH_CHOICES = [
    (TargetLength.SHORT, "Short · 800–1,200 words"),
    (TargetLength.MEDIUM, "Medium · 1,500–2,000 words"),
    (TargetLength.LONG, "Long · 2,500–3,500 words"),
]
BUILT_IN_VOICE_CHOICES = [(v.value, v.replace("_", " ").title()) for v in ALL_VOICES]
CHANNEL_LABELS = {
    Channel.BLOG: "Blog post",
    Channel.SOCIAL: "Social post",
    Channel.EMAIL: "Email newsletter",
    Channel.TWITTER: "X / Twitter thread",
    Channel.LINKEDIN: "LinkedIn post",
}


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class GenerateForm(FlaskForm):
    topic = StringField(
        "Topic",
        validators=[DataRequired("Give the post a topic."), Length(max=200)],
        description="What the post is about, up to 200 characters.",
    )
    voice = SelectField(
        "Voice",
        choices=BUILT_IN_VOICE_CHOICES,  # the workspace's brand voices join per request
        default=Voice.PROFESSIONAL,
    )
    target_length = SelectField(
        "Length",
        choices=LENGTH_CHOICES,
        default=TargetLength.MEDIUM,
        description="For blog posts and newsletters; social formats scale to their platform.",
    )
    channel = SelectField("Format", choices=list(CHANNEL_LABELS.items()), default=Channel.BLOG)
    custom_instructions = TextAreaField(
        "Instructions (optional)",
        validators=[Length(max=2000)],
        description="Anything the writer should do, up to 2,000 characters.",
    )
    source_ids = CheckboxList("Sources", choices=[], validate_choice=False)
