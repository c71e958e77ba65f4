"""Configuration, read once from environment variables.

Every setting the application understands is listed here and in `.env.example`.
Nothing else in the package reads `os.environ`.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path

from flask import current_app

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

PLANS = ("free", "starter", "pro", "business", "enterprise")
SIGNUP_MODES = ("open", "closed")
MIN_SECRET_KEY_BYTES = 32


class ConfigError(RuntimeError):
    """Raised when the environment describes an unusable configuration."""


def env_str(name: str, default: str | None = None, environ=None) -> str | None:
    environ = os.environ if environ is None else environ
    value = environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def env_bool(name: str, default: bool, environ=None) -> bool:
    value = env_str(name, None, environ)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name: str, default: int, environ=None) -> int:
    value = env_str(name, None, environ)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {value!r}") from exc


def env_float(name: str, default: float, environ=None) -> float:
    value = env_str(name, None, environ)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {value!r}") from exc


def env_list(name: str, environ=None) -> list[str]:
    value = env_str(name, "", environ) or ""
    return [item.strip() for item in value.split(",") if item.strip()]


def default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'copydesk.db'}"


def normalise_database_url(url: str) -> str:
    """Point plain `postgres://` / `postgresql://` URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@dataclass
class Config:
    """Typed settings; `Config.from_env()` is the only constructor used outside tests."""

    APP_ENV: str = "production"
    SECRET_KEY: str | None = None
    DATABASE_URL: str = field(default_factory=default_database_url)
    REDIS_URL: str = "redis://127.0.0.1:6379/0"
    SESSION_COOKIE_SECURE: bool = True
    DEFAULT_PLAN: str = "free"
    RATELIMIT_ENABLED: bool = True
    API_MAX_JSON_BYTES: int = 1024 * 1024
    MAX_UPLOAD_BYTES: int = 20 * 1024 * 1024
    ACCESS_TOKEN_TTL_SECONDS: int = 24 * 3600
    REFRESH_TOKEN_TTL_SECONDS: int = 30 * 24 * 3600
    LOG_LEVEL: str = "INFO"
    TESTING: bool = False
    # Namespaces this app's keys and queues in a shared Redis (tests give each run its own).
    REDIS_KEY_PREFIX: str = "copydesk"
    UPLOAD_DIR: str = field(default_factory=lambda: str(INSTANCE_DIR / "uploads"))
    S3_BUCKET: str | None = None
    S3_ENDPOINT_URL: str | None = None
    S3_REGION: str | None = None
    S3_PREFIX: str = ""
    # "host" or "host:port" entries that URL import may fetch although they are private.
    ALLOWED_PRIVATE_HOSTS: list[str] = field(default_factory=list)
    PARSE_TIMEOUT_SECONDS: int = 120
    PARSE_MEMORY_LIMIT_MB: int = 1024
    URL_FETCH_TIMEOUT_SECONDS: int = 15
    URL_FETCH_MAX_BYTES: int = 5 * 1024 * 1024
    # The model: any litellm model string; unset means the built-in offline writer.
    LLM_MODEL: str | None = None
    LLM_API_BASE: str | None = None
    LLM_API_KEY: str | None = None
    LLM_FALLBACK_MODELS: list[str] = field(default_factory=list)
    LLM_TIMEOUT_SECONDS: float = 60.0
    LLM_MAX_RETRIES: int = 3
    LLM_RETRY_BASE_SECONDS: float = 1.0
    # Sections of a long post written at the same time.
    LLM_MAX_PARALLEL_CALLS: int = 8
    # Tokens of source material a prompt may carry.
    LLM_SOURCE_TOKEN_BUDGET: int = 6000
    GENERATION_TIMEOUT_SECONDS: int = 900
    # A running job whose worker has not reported for this long is failed by the reaper.
    JOB_STALE_SECONDS: int = 30
    # Public address of the site for links in emails; unset: the address of the request.
    BASE_URL: str | None = None
    # Email: SMTP when MAIL_SERVER is set, else the log and an .eml file in MAIL_OUTBOX_DIR.
    MAIL_SERVER: str | None = None
    MAIL_PORT: int = 587
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS: bool = True
    MAIL_USE_SSL: bool = False
    MAIL_FROM: str = "Copydesk <no-reply@localhost>"
    MAIL_OUTBOX_DIR: str = field(default_factory=lambda: str(INSTANCE_DIR / "outbox"))
    # Reverse proxies in front of the app whose X-Forwarded-For entries are believed.
    TRUSTED_PROXIES: int = 0
    # Who may create an account: open (anyone) or closed (operators add people).
    SIGNUP_MODE: str = "open"
    # New accounts must confirm their address before spending model time or mailing others.
    REQUIRE_EMAIL_VERIFICATION: bool = False

    @classmethod
    def from_env(cls, environ=None) -> "Config":
        app_env = (env_str("APP_ENV", "production", environ) or "production").lower()
        if app_env not in ("production", "development", "testing"):
            raise ConfigError("APP_ENV must be production, development or testing")
        production = app_env == "production"
        config = cls(
            APP_ENV=app_env,
            SECRET_KEY=env_str("SECRET_KEY", None, environ),
            DATABASE_URL=normalise_database_url(
                env_str("DATABASE_URL", default_database_url(), environ)
            ),
            REDIS_URL=env_str("REDIS_URL", "redis://127.0.0.1:6379/0", environ),
            SESSION_COOKIE_SECURE=env_bool("SESSION_COOKIE_SECURE", production, environ),
            DEFAULT_PLAN=(env_str("DEFAULT_PLAN", "free", environ) or "free").lower(),
            RATELIMIT_ENABLED=env_bool("RATELIMIT_ENABLED", True, environ),
            API_MAX_JSON_BYTES=env_int("API_MAX_JSON_BYTES", 1024 * 1024, environ),
            LOG_LEVEL=(env_str("LOG_LEVEL", "INFO", environ) or "INFO").upper(),
            TESTING=app_env == "testing",
            REDIS_KEY_PREFIX=env_str("REDIS_KEY_PREFIX", "copydesk", environ),
            UPLOAD_DIR=env_str("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"), environ),
            S3_BUCKET=env_str("S3_BUCKET", None, environ),
            S3_ENDPOINT_URL=env_str("S3_ENDPOINT_URL", None, environ),
            S3_REGION=env_str("S3_REGION", None, environ),
            S3_PREFIX=env_str("S3_PREFIX", "", environ) or "",
            ALLOWED_PRIVATE_HOSTS=env_list("ALLOWED_PRIVATE_HOSTS", environ),
            PARSE_TIMEOUT_SECONDS=env_int("PARSE_TIMEOUT_SECONDS", 120, environ),
            PARSE_MEMORY_LIMIT_MB=env_int("PARSE_MEMORY_LIMIT_MB", 1024, environ),
            URL_FETCH_TIMEOUT_SECONDS=env_int("URL_FETCH_TIMEOUT_SECONDS", 15, environ),
            URL_FETCH_MAX_BYTES=env_int("URL_FETCH_MAX_BYTES", 5 * 1024 * 1024, environ),
            LLM_MODEL=env_str("LLM_MODEL", None, environ),
            LLM_API_BASE=env_str("LLM_API_BASE", None, environ),
            LLM_API_KEY=env_str("LLM_API_KEY", None, environ),
            LLM_FALLBACK_MODELS=env_list("LLM_FALLBACK_MODELS", environ),
            LLM_TIMEOUT_SECONDS=env_float("LLM_TIMEOUT_SECONDS", 60.0, environ),
            LLM_MAX_RETRIES=env_int("LLM_MAX_RETRIES", 3, environ),
            LLM_RETRY_BASE_SECONDS=env_float("LLM_RETRY_BASE_SECONDS", 1.0, environ),
            LLM_MAX_PARALLEL_CALLS=env_int("LLM_MAX_PARALLEL_CALLS", 8, environ),
            LLM_SOURCE_TOKEN_BUDGET=env_int("LLM_SOURCE_TOKEN_BUDGET", 6000, environ),
            GENERATION_TIMEOUT_SECONDS=env_int("GENERATION_TIMEOUT_SECONDS", 900, environ),
            JOB_STALE_SECONDS=env_int("JOB_STALE_SECONDS", 30, environ),
            BASE_URL=env_str("BASE_URL", None, environ),
            MAIL_SERVER=env_str("MAIL_SERVER", None, environ),
            MAIL_PORT=env_int("MAIL_PORT", 587, environ),
            MAIL_USERNAME=env_str("MAIL_USERNAME", None, environ),
            MAIL_PASSWORD=env_str("MAIL_PASSWORD", None, environ),
            MAIL_USE_TLS=env_bool("MAIL_USE_TLS", True, environ),
            MAIL_USE_SSL=env_bool("MAIL_USE_SSL", False, environ),
            MAIL_FROM=env_str("MAIL_FROM", "Copydesk <no-reply@localhost>", environ),
            MAIL_OUTBOX_DIR=env_str("MAIL_OUTBOX_DIR", str(INSTANCE_DIR / "outbox"), environ),
            TRUSTED_PROXIES=env_int("TRUSTED_PROXIES", 0, environ),
            SIGNUP_MODE=(env_str("SIGNUP_MODE", "open", environ) or "open").lower(),
            REQUIRE_EMAIL_VERIFICATION=env_bool("REQUIRE_EMAIL_VERIFICATION", False, environ),
        )
        config.validate()
        return config

    def validate(self) -> None:
        if not 1 <= self.PARSE_TIMEOUT_SECONDS <= 120:
            raise ConfigError("PARSE_TIMEOUT_SECONDS must be between 1 and 120")
        if not 0 < self.LLM_TIMEOUT_SECONDS <= 600:
            raise ConfigError("LLM_TIMEOUT_SECONDS must be more than 0 and at most 600")
        if not 0 <= self.LLM_MAX_RETRIES <= 10:
            raise ConfigError("LLM_MAX_RETRIES must be between 0 and 10")
        if not 1 <= self.LLM_MAX_PARALLEL_CALLS <= 32:
            raise ConfigError("LLM_MAX_PARALLEL_CALLS must be between 1 and 32")
        if self.JOB_STALE_SECONDS < 5:
            raise ConfigError("JOB_STALE_SECONDS must be at least 5")
        self._validate_mail()
        if self.DEFAULT_PLAN not in PLANS:
            raise ConfigError(f"DEFAULT_PLAN must be one of {', '.join(PLANS)}")
        if self.SIGNUP_MODE not in SIGNUP_MODES:
            raise ConfigError(f"SIGNUP_MODE must be one of {', '.join(SIGNUP_MODES)}")
        if not 0 <= self.TRUSTED_PROXIES <= 10:
            raise ConfigError("TRUSTED_PROXIES must be between 0 and 10")
        self._validate_secret_key()

    def _validate_secret_key(self) -> None:
        if self.SECRET_KEY and self.APP_ENV == "production" \
                and len(self.SECRET_KEY.encode()) < MIN_SECRET_KEY_BYTES:
            raise ConfigError(f"SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes long "
                              "in production (e.g. python3 -c 'import secrets; "
                              "print(secrets.token_hex(32))').")
        if not self.SECRET_KEY:
            if self.APP_ENV == "production":
                raise ConfigError(
                    "SECRET_KEY is not set. Set it in the environment "
                    "(`make run` generates one under instance/ for local use)."
                )
            # Development and tests: a per-process key keeps the app usable.
            self.SECRET_KEY = os.urandom(32).hex()

    def _validate_mail(self) -> None:
        if not 1 <= self.MAIL_PORT <= 65535:
            raise ConfigError("MAIL_PORT must be between 1 and 65535")
        if "@" not in parseaddr(self.MAIL_FROM)[1]:
            raise ConfigError("MAIL_FROM must be an address, e.g. "
                              "'Copydesk <no-reply@example.com>'")
        if self.BASE_URL and not re.match(r"^https?://[^/\s]+/?$", self.BASE_URL):
            raise ConfigError("BASE_URL must be scheme and host, e.g. https://copydesk.example.com")
        if self.MAIL_SERVER and not self.BASE_URL and self.APP_ENV == "production":
            raise ConfigError("BASE_URL is not set: with MAIL_SERVER set, mailed links need the "
                              "site's public address (e.g. https://copydesk.example.com).")

    def flask_settings(self) -> dict:
        """The mapping handed to `app.config`."""
        return {
            "APP_ENV": self.APP_ENV,
            "TESTING": self.TESTING,
            "SECRET_KEY": self.SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": self.DATABASE_URL,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(self.DATABASE_URL),
            "REDIS_URL": self.REDIS_URL,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.SESSION_COOKIE_SECURE,
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_SECURE": self.SESSION_COOKIE_SECURE,
            "WTF_CSRF_TIME_LIMIT": None,
            "MAX_CONTENT_LENGTH": self.MAX_UPLOAD_BYTES + 64 * 1024,
            "API_MAX_JSON_BYTES": self.API_MAX_JSON_BYTES,
            "DEFAULT_PLAN": self.DEFAULT_PLAN,
            "ACCESS_TOKEN_TTL_SECONDS": self.ACCESS_TOKEN_TTL_SECONDS,
            "REFRESH_TOKEN_TTL_SECONDS": self.REFRESH_TOKEN_TTL_SECONDS,
            "RATELIMIT_ENABLED": self.RATELIMIT_ENABLED,
            "RATELIMIT_STORAGE_URI": self.REDIS_URL,
            "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            "RATELIMIT_HEADERS_ENABLED": True,
            "RATELIMIT_SWALLOW_ERRORS": True,
            "RATELIMIT_KEY_PREFIX": f"{self.REDIS_KEY_PREFIX}-rl",
            # A moving window: no burst of 2x the limit across a window boundary.
            "RATELIMIT_STRATEGY": "moving-window",
            "REDIS_KEY_PREFIX": self.REDIS_KEY_PREFIX,
            "LOG_LEVEL": self.LOG_LEVEL,
            "MAX_UPLOAD_BYTES": self.MAX_UPLOAD_BYTES,
            "UPLOAD_DIR": self.UPLOAD_DIR,
            "S3_BUCKET": self.S3_BUCKET,
            "S3_ENDPOINT_URL": self.S3_ENDPOINT_URL,
            "S3_REGION": self.S3_REGION,
            "S3_PREFIX": self.S3_PREFIX,
            "ALLOWED_PRIVATE_HOSTS": list(self.ALLOWED_PRIVATE_HOSTS),
            "PARSE_TIMEOUT_SECONDS": self.PARSE_TIMEOUT_SECONDS,
            "PARSE_MEMORY_LIMIT_MB": self.PARSE_MEMORY_LIMIT_MB,
            "URL_FETCH_TIMEOUT_SECONDS": self.URL_FETCH_TIMEOUT_SECONDS,
            "URL_FETCH_MAX_BYTES": self.URL_FETCH_MAX_BYTES,
            **{name: getattr(self, name) for name in LLM_SETTINGS},
            **{name: getattr(self, name) for name in MAIL_SETTINGS},
            **{name: getattr(self, name) for name in ACCESS_SETTINGS},
        }


LLM_SETTINGS = ("LLM_MODEL", "LLM_API_BASE", "LLM_API_KEY", "LLM_FALLBACK_MODELS",
                "LLM_TIMEOUT_SECONDS", "LLM_MAX_RETRIES", "LLM_RETRY_BASE_SECONDS",
                "LLM_MAX_PARALLEL_CALLS", "LLM_SOURCE_TOKEN_BUDGET",
                "GENERATION_TIMEOUT_SECONDS", "JOB_STALE_SECONDS")

MAIL_SETTINGS = ("BASE_URL", "MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD",
                 "MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_FROM", "MAIL_OUTBOX_DIR")


ACCESS_SETTINGS = ("TRUSTED_PROXIES", "SIGNUP_MODE", "REQUIRE_EMAIL_VERIFICATION")


# Where `make run` serves by default; links start with it when BASE_URL is unset, which
# Config allows only outside production or without MAIL_SERVER (nothing is mailed out then).
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def public_url(path: str) -> str:
    """`path` on the site's public address: BASE_URL (DEFAULT_BASE_URL when unset).

    Never the Host header of a request: it is the client's to choose, and a forged one
    would send the victim's link to the attacker's site. Mail is written by the worker
    anyway, which has no request at all."""
    base = current_app.config["BASE_URL"] or DEFAULT_BASE_URL
    return base.rstrip("/") + "/" + path.lstrip("/")


def engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        # Threads of one gunicorn process share the file; wait instead of failing on a lock.
        return {"connect_args": {"timeout": 15}}
    return {"pool_pre_ping": True}
