"""Forms, fields and validators shared by several blueprints.

Every validator carries a message of ours, specific to its field ("Give the post a
topic."): WTForms' own ("This field is required.") never reaches a page
(tests/test_form_messages.py checks every form).
"""

from flask import g
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, IntegerField, RadioField, SelectField
from wtforms.validators import Length, ValidationError
from wtforms.widgets import HiddenInput

from .services.passwords import describe_password_problems, password_problems

EXPIRED = "The form expired; reload the page and try again."
PASSWORD_RULES_TEXT = (
    "At least 8 characters with upper and lower case, a number and a special character."
)


class ConfirmForm(FlaskForm):
    """An empty form: the CSRF token of a confirmed destructive action."""


def strong_password(form, field):
    """A new password must meet the rules of services.passwords (sign-up, reset, change)."""
    problems = password_problems(field.data or "")
    if problems:
        raise ValidationError(describe_password_problems(problems))


def at_most(maximum: int, what: str) -> Length:
    """A length limit that says what it limits: "A key name can be up to 100 characters."."""
    return Length(max=maximum, message=f"{what} can be up to {maximum:,} characters.")


class OwnInvalidChoice:
    """A choice field whose unknown value gets a message of ours (WTForms has no option
    for it)."""

    def __init__(self, *args, invalid: str = "Choose one of the options.", **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid = invalid

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError as error:
            raise ValidationError(self.invalid) from error


class ChoiceField(OwnInvalidChoice, SelectField):
    """A select with our own message for an unknown value."""


class RadioChoiceField(OwnInvalidChoice, RadioField):
    """Radio buttons with our own message for an unknown value."""


class VersionField(IntegerField):
    """The hidden version a form was made from; a missing or bad one means a stale form."""

    widget = HiddenInput()

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(EXPIRED) from error


def first_invalid(form) -> Field | None:
    """The first field of `form` (sub-forms and lists included) that has an error."""
    for field in form:
        inner = getattr(field, "form", None) or (field if isinstance(field, FieldList) else None)
        found = first_invalid(inner) if inner is not None else None
        if found is not None:
            return found
        if inner is None and field.errors:
            return field
    return None


def takes_focus(field: Field, requested: bool = False) -> bool:
    """Whether `field` is rendered with `autofocus`: after a submission with errors, the
    first field with an error (so focus lands on it without JavaScript); otherwise the
    field the template asks for. One per page."""
    if g.get("autofocus_given"):
        return False
    form = getattr(field, "_form", None)
    invalid = first_invalid(form) if form is not None else None
    wanted = invalid is field if invalid is not None else requested
    if wanted:
        g.autofocus_given = True
    return wanted
