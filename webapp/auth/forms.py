"""Account forms; password rules come from services.passwords."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo

from ..forms import PASSWORD_RULES_TEXT, at_most, strong_password
from ..services.passwords import MAX_LENGTH

ENTER_EMAIL = "Enter your email address."
VALID_EMAIL = "Enter an email address like name@example.com."


def email_field(label: str, **kwargs) -> EmailField:
    """An address a person types: present, well formed, not too long."""
    validators = [DataRequired(ENTER_EMAIL), Email(VALID_EMAIL), at_most(255, "An email address")]
    return EmailField(label, validators=validators, **kwargs)


class SignupForm(FlaskForm):
    name = StringField(
        "Your name", validators=[DataRequired("Enter your name."), at_most(100, "Your name")]
    )
    email = email_field("Work email")
    password = PasswordField(
        "Password",
        validators=[DataRequired("Choose a password."), strong_password],
        description=PASSWORD_RULES_TEXT,
    )


class LoginForm(FlaskForm):
    email = EmailField(
        "Email", validators=[DataRequired(ENTER_EMAIL), at_most(255, "An email address")]
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password."), at_most(MAX_LENGTH, "A password")],
    )
    remember = BooleanField("Keep me signed in")


class ForgotPasswordForm(FlaskForm):
    email = email_field("Email", description="The address you sign in with.")


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(
        "New password",
        validators=[DataRequired("Choose a new password."), strong_password],
        description=PASSWORD_RULES_TEXT,
    )
    confirm_password = PasswordField(
        "Repeat the new password",
        validators=[
            DataRequired("Type the new password again."),
            EqualTo("new_password", message="The two passwords differ: type the same one twice."),
        ],
    )
