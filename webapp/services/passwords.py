"""Password hashing (Argon2id) and the password rules of the API reference."""

from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2-cffi defaults: Argon2id, RFC 9106 low-memory profile

MIN_LENGTH = 8
MAX_LENGTH = 128


def hash_password(password: str) -> str:
    """Hash a password with Argon2id."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches `password_hash`; never raises on a bad hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class PasswordRule:
    """One rule a new password must meet: `pattern` (a regular expression that Python
    and the browser's JavaScript read alike) matches a password that meets it."""

    key: str
    text: str  # as the checklist of a form says it
    problem: str  # as an error says it: "Password must ..."
    pattern: str
    listed: bool = True  # shown on the checklist (not the upper limit nobody aims for)

    def met_by(self, password: str) -> bool:
        return re.search(self.pattern, password) is not None


PASSWORD_RULES = (
    PasswordRule(
        "length",
        f"At least {MIN_LENGTH} characters",
        f"must be at least {MIN_LENGTH} characters",
        rf"^[\s\S]{{{MIN_LENGTH},}}",
    ),
    PasswordRule(
        "max_length",
        f"At most {MAX_LENGTH} characters",
        f"must be at most {MAX_LENGTH} characters",
        rf"^[\s\S]{{0,{MAX_LENGTH}}}$",
        listed=False,
    ),
    PasswordRule("upper", "An uppercase letter", "must contain an uppercase letter", "[A-Z]"),
    PasswordRule("lower", "A lowercase letter", "must contain a lowercase letter", "[a-z]"),
    PasswordRule("number", "A number", "must contain a number", "[0-9]"),
    PasswordRule(
        "special",
        "A special character, such as ! or #",
        "must contain a special character",
        "[^A-Za-z0-9]",
    ),
)


def unmet_rules(password: str) -> list[PasswordRule]:
    """The rules `password` does not meet."""
    return [rule for rule in PASSWORD_RULES if not rule.met_by(password)]


def password_problems(password: str) -> list[str]:
    """What is wrong with a new password, as sentences; empty when it is acceptable."""
    return [rule.problem for rule in unmet_rules(password)]


def describe_password_problems(problems: list[str]) -> str:
    return "Password " + ", ".join(problems) + "."
