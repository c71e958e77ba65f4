"""Settings forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..forms import strong_password
from ..services.passwords import MAX_LENGTH
from ..vocabulary import KeyMode


class ProfileForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=100)])


class NotificationsForm(FlaskForm):
    notify_review = BooleanField(
        "Review emails",
        description="When a post is submitted for your review, and when a post of yours is "
        "approved or changes are requested.",
    )
    notify_mentions = BooleanField(
        "Mention emails", description="When someone @mentions you in a comment."
    )


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=MAX_LENGTH)]
    )
    new_password = PasswordField(
        "New password",
        validators=[DataRequired(), strong_password],
        description="At least 8 characters with upper and lower "
        "case, a number and a special character.",
    )


class ApiKeyForm(FlaskForm):
    name = StringField(
        "Key name",
        validators=[DataRequired(), Length(max=100)],
        description="Where it will be used, e.g. “CMS sync”.",
    )
    mode = SelectField(
        "Mode",
        choices=[
            SelectChoice(KeyMode.LIVE, "Live"),
            SelectChoice(KeyMode.TEST, "Test (no quota, offline writer)"),
        ],
        default=KeyMode.LIVE,
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Your password",
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        description="To confirm that it is you deleting the account.",
    )
