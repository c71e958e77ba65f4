"""Account forms; password rules come from services.passwords."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..forms import strong_password
from ..services.passwords import MAX_LENGTH


class SignupForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(), Length(max=100)])
    email = EmailField("Work email", validators=[DataRequired(), Email(), Length(max=255)])
    password = PasswordField(
        "Password",
        validators=[DataRequired(), strong_password],
        description="At least 8 characters with upper and lower case, "
        "a number and a special character.",
    )


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=255)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField("Keep me signed in")


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[DataRequired(), Email(), Length(max=255)],
        description="The address you sign in with.",
    )


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(
        "New password",
        validators=[DataRequired(), strong_password],
        description="At least 8 characters with upper and lower "
        "case, a number and a special character.",
    )
    confirm_password = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new_password", message="The passwords differ.")],
    )
