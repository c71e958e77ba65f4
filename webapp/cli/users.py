"""Operator commands on accounts: `flask users create` adds an account whatever SIGNUP_MODE
says; `set-plan`, `disable` and `enable` change one."""

from __future__ import annotations

import secrets
import string

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import AppGroup

from ..errors import AppError
from ..services import accounts, email_verification
from ..services.passwords import password_problems
from ..vocabulary import PlanName

users_cli = AppGroup("users", help="Manage user accounts.")
PASSWORD_ALPHABET = string.ascii_letters + string.digits + "!#%+-.:=?@^_~"
GENERATED_PASSWORD_LENGTH = 20


@users_cli.command("create")
@click.option("--email", required=True, help="The address the person signs in with.")
@click.option("--name", required=True, help="Their display name.")
@click.option(
    "--password",
    default=None,
    help="Their password; left out, a strong one is generated and printed once.",
)
@click.option(
    "--plan",
    type=click.Choice([plan.value for plan in PlanName]),
    default=None,
    help="Their plan (default: DEFAULT_PLAN).",
)
@click.option(
    "--verified", is_flag=True, help="Mark the address as verified (no verification mail is sent)."
)
def create_user(
    email: str, name: str, password: str | None, plan: str | None, verified: bool
) -> None:
    """Create an account, even when sign-up is closed.

    Without --verified the address is verified only when REQUIRE_EMAIL_VERIFICATION is
    off; with it on, the person is mailed a verification link."""
    email, name = checked_email(email), checked_name(name)
    generated = password is None
    password = generate_password() if generated else password
    must_verify = accounts.verification_required() and not verified
    try:
        user = accounts.create_account(email, password, name, plan=plan, verified=not must_verify)
    except AppError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created user {user.email} (id {user.id}, plan {user.subscription_tier}).")
    if generated:
        click.echo(f"Password (shown once): {password}")
    click.echo(verification_note(user, must_verify))


def checked_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise click.BadParameter(str(exc), param_hint="--email") from exc


def checked_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise click.BadParameter("must be 1 to 100 characters", param_hint="--name")
    return name


def generate_password() -> str:
    """A random password that meets the password rules."""
    while True:
        password = "".join(
            secrets.choice(PASSWORD_ALPHABET) for _ in range(GENERATED_PASSWORD_LENGTH)
        )
        if not password_problems(password):
            return password


def verification_note(user, must_verify: bool) -> str:
    """Mail the verification link when one is needed; what the operator should know."""
    if not must_verify:
        return "Email address: verified."
    email_verification.send_verification_mail(user)
    return f"Email address: not verified; a worker will mail a verification link to {user.email}."


def user_by_email(email: str):
    """The account `email` names, or a usage error the operator can read."""
    user = accounts.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with the email {email}.")
    return user


@users_cli.command("set-plan")
@click.argument("email")
@click.argument("plan", type=click.Choice([plan.value for plan in PlanName]))
def set_plan(email: str, plan: str) -> None:
    """Put the user EMAIL on PLAN; its limits apply from the next request."""
    user = user_by_email(email)
    previous = user.subscription_tier
    accounts.set_plan(user, plan)
    click.echo(f"{user.email}: plan {previous} -> {user.subscription_tier}.")


@users_cli.command("disable")
@click.argument("email")
def disable_user(email: str) -> None:
    """Refuse the user EMAIL everywhere: signed out of every session and token at once,
    sign-in and API keys refused until `flask users enable`."""
    user = user_by_email(email)
    accounts.disable_user(user)
    click.echo(f"{user.email}: disabled; every session and token is ended, API keys are refused.")


@users_cli.command("enable")
@click.argument("email")
def enable_user(email: str) -> None:
    """Let the disabled user EMAIL sign in again."""
    user = user_by_email(email)
    accounts.enable_user(user)
    click.echo(f"{user.email}: enabled; they can sign in again.")
