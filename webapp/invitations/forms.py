"""Invitation forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..forms import strong_password
from ..vocabulary import INVITABLE_ROLES


class InviteForm(FlaskForm):
    # The address and the role are checked by the service (as for the API).
    email = EmailField("Email address", validators=[DataRequired(), Length(max=255)])
    role = SelectField(
        "Role",
        choices=[SelectChoice(role.value, role.value.capitalize()) for role in INVITABLE_ROLES],
        default="editor",
        validate_choice=False,
    )


class InvitedSignupForm(FlaskForm):
    """Sign-up from an invitation: the address is the invited one, fixed."""

    name = StringField("Your name", validators=[DataRequired(), Length(max=100)])
    password = PasswordField(
        "Password",
        validators=[DataRequired(), strong_password],
        description="At least 8 characters with upper and lower case, "
        "a number and a special character.",
    )
