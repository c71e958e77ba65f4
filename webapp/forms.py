"""Forms and validators shared by several blueprints."""

from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from .services.passwords import describe_password_problems, password_problems


class ConfirmForm(FlaskForm):
    """An empty form: the CSRF token of a confirmed destructive action."""


def strong_password(form, field):
    """A new password must meet the rules of services.passwords (sign-up, reset, change)."""
    problems = password_problems(field.data or "")
    if problems:
        raise ValidationError(describe_password_problems(problems))
