"""Configuration, read once from environment variables.

Every setting the application understands is declared once, in `SETTINGS`: its default,
how its text is read and the rule its value must meet. `Config` is built from that table,
and so is the mapping handed to `app.config` (each setting under its own name, plus the
Flask and extension keys derived from them). The README's settings table and
`.env.example` document the same names (tests/test_settings_documented.py checks).
Nothing else in the package reads `os.environ`.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from flask import current_app

from .vocabulary import PlanName

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

APP_ENVS = ("production", "development", "testing")
SIGNUP_MODES = ("open", "invite", "closed")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MIN_SECRET_KEY_BYTES = 32
# Where `make run` serves by default; links start with it when BASE_URL is unset, which
# Config allows only outside production or without MAIL_SERVER (nothing is mailed out then).
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class ConfigError(RuntimeError):
    """Raised when the environment describes an unusable configuration."""


# --- How a variable's text is read (a ValueError names what was expected) ----------------


def boolean(value: str) -> bool:
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("a boolean (true/false)")


def integer(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError("an integer") from None


def number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ValueError("a number") from None


def comma_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def normalise_database_url(url: str) -> str:
    """Point plain `postgres://` / `postgresql://` URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# --- Rules a value must meet ---------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    holds: Callable[[Any], bool]
    says: str  # completes "<NAME> must ..."


def between(low, high) -> Rule:
    return Rule(lambda value: low <= value <= high, f"be between {low} and {high}")


def at_least(low) -> Rule:
    return Rule(lambda value: value >= low, f"be at least {low}")


def one_of(*choices: str) -> Rule:
    return Rule(lambda value: value in choices, f"be one of {', '.join(choices)}")


SITE_ADDRESS = Rule(
    lambda value: value is None or bool(re.match(r"^https?://[^/\s]+/?$", value)),
    "be scheme and host, e.g. https://copydesk.example.com",
)
MAIL_ADDRESS = Rule(
    lambda value: "@" in parseaddr(value)[1],
    "be an address, e.g. 'Copydesk <no-reply@example.com>'",
)


# --- The table ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One environment variable. `default` is a value, or a function of the settings
    declared before it (e.g. secure cookies by default in production only)."""

    name: str
    default: Any = None
    parse: Callable[[str], Any] = str
    rule: Rule | None = None

    def default_for(self, earlier: Mapping[str, Any]) -> Any:
        return self.default(earlier) if callable(self.default) else copy.copy(self.default)

    def read(self, raw: str) -> Any:
        try:
            return self.parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{self.name} must be {exc}, got {raw!r}") from None

    def check(self, value: Any) -> None:
        if self.rule and value is not None and not self.rule.holds(value):
            raise ConfigError(f"{self.name} must {self.rule.says}")


MB = 1024 * 1024

SETTINGS: dict[str, Setting] = {
    setting.name: setting
    for setting in (
        Setting("APP_ENV", "production", str.lower, one_of(*APP_ENVS)),
        Setting("SECRET_KEY"),  # required in production; see Config.validate
        Setting(
            "DATABASE_URL",
            lambda _: f"sqlite:///{INSTANCE_DIR / 'copydesk.db'}",
            normalise_database_url,
        ),
        Setting("REDIS_URL", "redis://127.0.0.1:6379/0"),
        # Namespaces this app's keys and queues in a shared Redis (tests give each run its own).
        Setting("REDIS_KEY_PREFIX", "copydesk"),
        Setting(
            "SESSION_COOKIE_SECURE", lambda earlier: earlier["APP_ENV"] == "production", boolean
        ),
        Setting("DEFAULT_PLAN", PlanName.FREE, str.lower, one_of(*PlanName)),
        Setting("RATELIMIT_ENABLED", True, boolean),
        Setting("API_MAX_JSON_BYTES", MB, integer, at_least(1)),
        Setting("LOG_LEVEL", "INFO", str.upper, one_of(*LOG_LEVELS)),
        Setting("ACCESS_TOKEN_TTL_SECONDS", 24 * 3600, integer, at_least(60)),
        Setting("REFRESH_TOKEN_TTL_SECONDS", 30 * 24 * 3600, integer, at_least(60)),
        # Public address of the site for links in emails, never a request's Host header.
        Setting("BASE_URL", None, str, SITE_ADDRESS),
        # Reverse proxies in front of the app whose X-Forwarded-For entries are believed.
        Setting("TRUSTED_PROXIES", 0, integer, between(0, 10)),
        # Who may create an account: open (anyone), invite (an address with a pending
        # invitation) or closed (operators add people).
        Setting("SIGNUP_MODE", "open", str.lower, one_of(*SIGNUP_MODES)),
        # New accounts must confirm their address before spending model time or mailing others.
        Setting("REQUIRE_EMAIL_VERIFICATION", False, boolean),
        # Sources: storage, size and parsing limits, URL import.
        Setting("UPLOAD_DIR", lambda _: str(INSTANCE_DIR / "uploads")),
        Setting("S3_BUCKET"),
        Setting("S3_ENDPOINT_URL"),
        Setting("S3_REGION"),
        Setting("S3_PREFIX", ""),
        Setting("MAX_UPLOAD_BYTES", 20 * MB, integer, at_least(1)),
        Setting("PARSE_TIMEOUT_SECONDS", 120, integer, between(1, 120)),
        Setting("PARSE_MEMORY_LIMIT_MB", 1024, integer, at_least(64)),
        # "host" or "host:port" entries that URL import may fetch although they are private.
        Setting("ALLOWED_PRIVATE_HOSTS", [], comma_list),
        Setting("URL_FETCH_TIMEOUT_SECONDS", 15, integer, at_least(1)),
        Setting("URL_FETCH_MAX_BYTES", 5 * MB, integer, at_least(1)),
        # The model: any litellm model string; unset means the built-in offline writer.
        Setting("LLM_MODEL"),
        Setting("LLM_API_BASE"),
        Setting("LLM_API_KEY"),
        Setting("LLM_FALLBACK_MODELS", [], comma_list),
        Setting(
            "LLM_TIMEOUT_SECONDS",
            60.0,
            number,
            Rule(lambda value: 0 < value <= 600, "be more than 0 and at most 600"),
        ),
        Setting("LLM_MAX_RETRIES", 3, integer, between(0, 10)),
        Setting("LLM_RETRY_BASE_SECONDS", 1.0, number, at_least(0)),
        # Sections of a long post written at the same time.
        Setting("LLM_MAX_PARALLEL_CALLS", 8, integer, between(1, 32)),
        # Tokens of source material a prompt may carry.
        Setting("LLM_SOURCE_TOKEN_BUDGET", 6000, integer, at_least(100)),
        Setting("GENERATION_TIMEOUT_SECONDS", 900, integer, at_least(1)),
        Setting("BULK_TIMEOUT_SECONDS", 6 * 3600, integer, at_least(1)),
        # A running job whose worker has not reported for this long is failed by the reaper.
        Setting("JOB_STALE_SECONDS", 30, integer, at_least(5)),
        # Email: SMTP when MAIL_SERVER is set, else the log and an .eml file in MAIL_OUTBOX_DIR.
        Setting("MAIL_SERVER"),
        Setting("MAIL_PORT", 587, integer, between(1, 65535)),
        Setting("MAIL_USERNAME"),
        Setting("MAIL_PASSWORD"),
        Setting("MAIL_USE_TLS", True, boolean),
        Setting("MAIL_USE_SSL", False, boolean),
        Setting("MAIL_FROM", "Copydesk <no-reply@localhost>", str, MAIL_ADDRESS),
        Setting("MAIL_OUTBOX_DIR", lambda _: str(INSTANCE_DIR / "outbox")),
    )
}

# Flask and extension settings that are not the operator's to choose.
FIXED_FLASK_SETTINGS = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,
    # A moving window: no burst of 2x the limit across a window boundary.
    "RATELIMIT_STRATEGY": "moving-window",
}
# Multipart framing around the file: the request may be this much larger than the file.
UPLOAD_ENVELOPE_BYTES = 64 * 1024


def read_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Every setting's value from `environ`: blank or unset means the default."""
    values: dict[str, Any] = {}
    for name, setting in SETTINGS.items():
        raw = (environ.get(name) or "").strip()
        values[name] = setting.read(raw) if raw else setting.default_for(values)
    return values


class Config:
    """Typed settings, one attribute per entry of SETTINGS (plus TESTING, which is
    APP_ENV == "testing"). `Config.from_env()` is the only constructor used outside
    tests; `Config(NAME=value, ...)` takes typed values and defaults the rest."""

    def __init__(self, TESTING: bool | None = None, **values: Any) -> None:
        unknown = set(values) - set(SETTINGS)
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        resolved: dict[str, Any] = {}
        for name, setting in SETTINGS.items():
            resolved[name] = values[name] if name in values else setting.default_for(resolved)
        self.__dict__.update(resolved)
        self.TESTING = self.APP_ENV == "testing" if TESTING is None else TESTING

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        config = cls(**read_environment(os.environ if environ is None else environ))
        config.validate()
        return config

    def __repr__(self) -> str:  # never the secrets
        shown = {
            name: getattr(self, name)
            for name in SETTINGS
            if name not in ("SECRET_KEY", "MAIL_PASSWORD", "LLM_API_KEY")
        }
        return f"Config({shown})"

    def validate(self) -> None:
        for name, setting in SETTINGS.items():
            setting.check(getattr(self, name))
        if self.MAIL_SERVER and not self.BASE_URL and self.APP_ENV == "production":
            raise ConfigError(
                "BASE_URL is not set: with MAIL_SERVER set, mailed links need the "
                "site's public address (e.g. https://copydesk.example.com)."
            )
        self._validate_secret_key()

    def _validate_secret_key(self) -> None:
        if (
            self.SECRET_KEY
            and self.APP_ENV == "production"
            and len(self.SECRET_KEY.encode()) < MIN_SECRET_KEY_BYTES
        ):
            raise ConfigError(
                f"SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes long "
                "in production (e.g. python3 -c 'import secrets; "
                "print(secrets.token_hex(32))')."
            )
        if not self.SECRET_KEY:
            if self.APP_ENV == "production":
                raise ConfigError(
                    "SECRET_KEY is not set. Set it in the environment "
                    "(`make run` generates one under instance/ for local use)."
                )
            # Development and tests: a per-process key keeps the app usable.
            self.SECRET_KEY = os.urandom(32).hex()

    def flask_settings(self) -> dict:
        """The mapping handed to `app.config`: every setting under its own name, the keys
        Flask and its extensions read, derived from them, and the fixed ones."""
        return {
            **{name: copy.copy(getattr(self, name)) for name in SETTINGS},
            "TESTING": self.TESTING,
            **FIXED_FLASK_SETTINGS,
            "SQLALCHEMY_DATABASE_URI": self.DATABASE_URL,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(self.DATABASE_URL),
            "REMEMBER_COOKIE_SECURE": self.SESSION_COOKIE_SECURE,
            "MAX_CONTENT_LENGTH": self.MAX_UPLOAD_BYTES + UPLOAD_ENVELOPE_BYTES,
            "RATELIMIT_STORAGE_URI": self.REDIS_URL,
            "RATELIMIT_KEY_PREFIX": f"{self.REDIS_KEY_PREFIX}-rl",
        }


# Class attributes name the defaults that need no other setting (as `Config.MAX_UPLOAD_BYTES`
# in bench/parse_bench.py); an instance's own values shadow them.
for _setting in SETTINGS.values():
    if not callable(_setting.default):
        setattr(Config, _setting.name, _setting.default)


def default_database_url() -> str:
    return SETTINGS["DATABASE_URL"].default_for({})


def public_url(path: str) -> str:
    """`path` on the site's public address: BASE_URL (DEFAULT_BASE_URL when unset).

    Never the Host header of a request: it is the client's to choose, and a forged one
    would send the victim's link to the attacker's site. Mail is written by the worker
    anyway, which has no request at all."""
    base = current_app.config["BASE_URL"] or DEFAULT_BASE_URL
    return base.rstrip("/") + "/" + path.lstrip("/")


def max_upload_text() -> str:
    """The app's MAX_UPLOAD_BYTES for people: "20 MB", "0.5 MB"."""
    megabytes = f"{current_app.config['MAX_UPLOAD_BYTES'] / MB:,.1f}".removesuffix(".0")
    return f"{megabytes} MB"


def engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        # Threads of one gunicorn process share the file; wait instead of failing on a lock.
        return {"connect_args": {"timeout": 15}}
    return {"pool_pre_ping": True}
