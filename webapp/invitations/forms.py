"""Invitation forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired

from ..forms import PASSWORD_RULES_TEXT, at_most, strong_password
from ..vocabulary import INVITABLE_ROLES


class InviteForm(FlaskForm):
    # The address and the role are checked by the service (as for the API).
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter the address to invite."),
            at_most(255, "An email address"),
        ],
    )
    role = SelectField(
        "Role",
        choices=[SelectChoice(role.value, role.value.capitalize()) for role in INVITABLE_ROLES],
        default="editor",
        validate_choice=False,
    )


class InvitedSignupForm(FlaskForm):
    """Sign-up from an invitation: the address is the invited one, fixed."""

    name = StringField(
        "Your name", validators=[DataRequired("Enter your name."), at_most(100, "Your name")]
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Choose a password."), strong_password],
        description=PASSWORD_RULES_TEXT,
    )
