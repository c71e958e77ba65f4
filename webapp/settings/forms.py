"""Settings forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, StringField
from wtforms.validators import DataRequired

from ..forms import PASSWORD_RULES_TEXT, ChoiceField, at_most, strong_password
from ..services.passwords import MAX_LENGTH
from ..vocabulary import KeyMode


class ProfileForm(FlaskForm):
    name = StringField(
        "Name", validators=[DataRequired("Enter your name."), at_most(100, "Your name")]
    )


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
        "Current password",
        validators=[
            DataRequired("Enter your current password."),
            at_most(MAX_LENGTH, "A password"),
        ],
    )
    new_password = PasswordField(
        "New password",
        validators=[DataRequired("Choose a new password."), strong_password],
        description=PASSWORD_RULES_TEXT,
    )


class ApiKeyForm(FlaskForm):
    name = StringField(
        "Key name",
        validators=[DataRequired("Give the key a name."), at_most(100, "A key name")],
        description="Where it will be used, e.g. “CMS sync”.",
    )
    mode = ChoiceField(
        "Mode",
        choices=[
            SelectChoice(KeyMode.LIVE, "Live"),
            SelectChoice(KeyMode.TEST, "Test (no quota, offline writer)"),
        ],
        default=KeyMode.LIVE,
        invalid="Choose live or test.",
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Your password",
        validators=[DataRequired("Enter your password."), at_most(MAX_LENGTH, "A password")],
        description="To confirm that it is you deleting the account.",
    )
