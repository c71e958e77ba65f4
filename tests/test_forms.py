"""One voice: every form speaks for itself. No WTForms default ("This field is required.",
"Not a valid choice.", "Invalid email address.", ...) can reach a page: each validator of
every FlaskForm carries a message of ours, and forms submitted empty or with wrong values
answer only with those."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, IntegerField, SelectFieldBase
from wtforms.validators import Optional

import webapp
from webapp.forms import OwnInvalidChoice, VersionField
from webapp.services.passwords import PASSWORD_RULES, password_problems

# What WTForms and flask-wtf say when a validator has no message of its own.
GENERIC = (
    "This field is required",
    "Not a valid",
    "Invalid email",
    "Invalid Choice",
    "Invalid input",
    "Invalid value",
    "Field must",
    "Field cannot",
    "Number must",
    "Invalid URL",
    "Invalid Mac",
    "Invalid UUID",
    "must be equal to",
)


def all_forms() -> list[type[FlaskForm]]:
    """Every FlaskForm defined in the app's modules."""
    for module in pkgutil.walk_packages(webapp.__path__, f"{webapp.__name__}."):
        importlib.import_module(module.name)
    found, todo = [], list(FlaskForm.__subclasses__())
    while todo:
        form = todo.pop()
        found.append(form)
        todo.extend(form.__subclasses__())
    return sorted(
        (f for f in found if f.__module__.startswith(webapp.__name__)), key=lambda f: f.__name__
    )


def fields_of(form) -> list[Field]:
    """The fields of a bound form, sub-forms and lists included."""
    out = []
    for field in form:
        if isinstance(field, FormField):
            out.extend(fields_of(field.form))
        elif isinstance(field, FieldList):
            for entry in field:
                out.extend(fields_of(entry.form) if isinstance(entry, FormField) else [entry])
        else:
            out.append(field)
    return out


def generic_messages(form) -> list[str]:
    return [
        f"{field.name}: {message}"
        for field in fields_of(form)
        for message in field.errors
        if any(generic in str(message) for generic in GENERIC)
    ]


def bound(app, form_class, data):
    with app.test_request_context(method="POST", data=data):
        form = form_class(meta={"csrf": False})
        form.validate()
        return form


def test_the_app_has_its_forms(app):
    names = {form.__name__ for form in all_forms()}
    assert {"SignupForm", "GenerateForm", "ProjectForm", "PasswordForm", "EditForm"} <= names


@pytest.mark.parametrize("form_class", all_forms(), ids=lambda f: f.__name__)
def test_every_validator_has_a_message_of_ours(app, form_class):
    with app.test_request_context():
        form = form_class(meta={"csrf": False})
        for field in fields_of(form):
            for validator in field.validators:
                if isinstance(validator, Optional) or not hasattr(validator, "message"):
                    continue
                assert validator.message, f"{field.name}: {type(validator).__name__}"
            if isinstance(field, SelectFieldBase) and field.validate_choice:
                assert isinstance(field, OwnInvalidChoice), f"{field.name}: WTForms' choice message"
            if isinstance(field, IntegerField):
                assert isinstance(field, VersionField), f"{field.name}: WTForms' number message"


@pytest.mark.parametrize("form_class", all_forms(), ids=lambda f: f.__name__)
def test_no_form_answers_with_a_generic_message(app, form_class):
    with app.test_request_context():
        names = [field.name for field in fields_of(form_class(meta={"csrf": False}))]
    wrong = dict.fromkeys(names, "x" * 5000)
    wrong.update({name: "not-a-choice" for name in names if "version" not in name})
    wrong.update({name: "abc" for name in names if "version" in name})
    for data in ({}, dict.fromkeys(names, ""), wrong):
        form = bound(app, form_class, data)
        assert generic_messages(form) == [], data


def test_an_empty_new_post_form_asks_for_a_topic(app):
    from webapp.posts.forms import GenerateForm

    form = bound(app, GenerateForm, {"topic": ""})
    assert form.topic.errors == ["Give the post a topic."]


def test_the_checklist_rules_are_the_validators_rules():
    weak = "abc"
    unmet = [rule for rule in PASSWORD_RULES if not rule.met_by(weak)]
    assert [rule.problem for rule in unmet] == password_problems(weak)
    assert all(rule.met_by("Str0ng!pass") for rule in PASSWORD_RULES)
