"""Configuration comes from the environment and refuses unsafe production settings."""

import pytest

from webapp.config import Config, ConfigError


def test_production_without_secret_key_refuses_to_start():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Config.from_env({"APP_ENV": "production"})


def test_production_defaults_to_secure_cookies():
    config = Config.from_env({"APP_ENV": "production", "SECRET_KEY": "s" * 32})
    assert config.flask_settings()["SESSION_COOKIE_SECURE"] is True
    assert config.flask_settings()["SESSION_COOKIE_HTTPONLY"] is True


def test_local_http_can_turn_secure_cookies_off():
    config = Config.from_env(
        {"APP_ENV": "production", "SECRET_KEY": "s" * 32, "SESSION_COOKIE_SECURE": "false"}
    )
    assert config.flask_settings()["SESSION_COOKIE_SECURE"] is False


def test_postgres_urls_use_psycopg3():
    config = Config.from_env(
        {"APP_ENV": "development", "DATABASE_URL": "postgres://u@localhost/db"}
    )
    assert config.DATABASE_URL == "postgresql+psycopg://u@localhost/db"


@pytest.mark.parametrize(
    "name,value",
    [
        ("DEFAULT_PLAN", "platinum"),
        ("APP_ENV", "staging"),
        ("RATELIMIT_ENABLED", "maybe"),
        ("MAIL_PORT", "0"),
        ("MAIL_USE_TLS", "maybe"),
        ("MAIL_FROM", "Copydesk"),
        ("BASE_URL", "copydesk.example.com"),
        ("BASE_URL", "https://example.com/app/"),
        ("LOG_LEVEL", "loud"),
        ("MAX_UPLOAD_BYTES", "0"),
        ("MAX_UPLOAD_BYTES", "20MB"),
        ("LLM_TIMEOUT_SECONDS", "soon"),
    ],
)
def test_bad_values_are_rejected(name, value):
    with pytest.raises(ConfigError):
        Config.from_env({"APP_ENV": "development", name: value})


def test_mail_settings_reach_the_app():
    settings = Config.from_env(
        {
            "APP_ENV": "development",
            "MAIL_SERVER": "smtp.example.com",
            "MAIL_PORT": "465",
            "MAIL_USERNAME": "mailer",
            "MAIL_PASSWORD": "s3cret",
            "MAIL_USE_TLS": "false",
            "MAIL_USE_SSL": "true",
            "MAIL_FROM": "Team <team@example.com>",
            "MAIL_OUTBOX_DIR": "/tmp/outbox",
            "BASE_URL": "https://copydesk.example.com",
        }
    ).flask_settings()
    assert settings["MAIL_SERVER"] == "smtp.example.com" and settings["MAIL_PORT"] == 465
    assert settings["MAIL_USERNAME"] == "mailer" and settings["MAIL_PASSWORD"] == "s3cret"
    assert settings["MAIL_USE_TLS"] is False and settings["MAIL_USE_SSL"] is True
    assert settings["MAIL_FROM"] == "Team <team@example.com>"
    assert settings["MAIL_OUTBOX_DIR"] == "/tmp/outbox"
    assert settings["BASE_URL"] == "https://copydesk.example.com"


def test_mail_defaults_use_the_outbox():
    settings = Config.from_env({"APP_ENV": "development"}).flask_settings()
    assert settings["MAIL_SERVER"] is None and settings["MAIL_PORT"] == 587
    assert settings["MAIL_USE_TLS"] is True and settings["MAIL_USE_SSL"] is False
    assert settings["MAIL_OUTBOX_DIR"].endswith("instance/outbox")
    assert settings["BASE_URL"] is None


def test_production_refuses_a_short_secret_key():
    with pytest.raises(ConfigError, match="at least 32 bytes"):
        Config.from_env({"APP_ENV": "production", "SECRET_KEY": "s" * 31})
    assert Config.from_env({"APP_ENV": "production", "SECRET_KEY": "s" * 32}).SECRET_KEY


def test_production_mail_needs_base_url():
    environ = {"APP_ENV": "production", "SECRET_KEY": "s" * 32, "MAIL_SERVER": "smtp.example.com"}
    with pytest.raises(ConfigError, match="BASE_URL"):
        Config.from_env(environ)
    config = Config.from_env({**environ, "BASE_URL": "https://copydesk.example.com"})
    assert config.BASE_URL == "https://copydesk.example.com"


def test_access_settings_reach_the_app():
    settings = Config.from_env(
        {
            "APP_ENV": "development",
            "TRUSTED_PROXIES": "1",
            "SIGNUP_MODE": "Closed",
            "REQUIRE_EMAIL_VERIFICATION": "true",
        }
    ).flask_settings()
    assert settings["TRUSTED_PROXIES"] == 1
    assert settings["SIGNUP_MODE"] == "closed"
    assert settings["REQUIRE_EMAIL_VERIFICATION"] is True
    defaults = Config.from_env({"APP_ENV": "development"}).flask_settings()
    assert (
        defaults["TRUSTED_PROXIES"],
        defaults["SIGNUP_MODE"],
        defaults["REQUIRE_EMAIL_VERIFICATION"],
    ) == (0, "open", False)


@pytest.mark.parametrize(
    "name,value",
    [
        ("SIGNUP_MODE", "everyone"),
        ("TRUSTED_PROXIES", "-1"),
        ("REQUIRE_EMAIL_VERIFICATION", "perhaps"),
    ],
)
def test_bad_access_values_are_rejected(name, value):
    with pytest.raises(ConfigError):
        Config.from_env({"APP_ENV": "development", name: value})


def test_bad_values_name_the_variable_and_what_it_must_be():
    with pytest.raises(ConfigError, match=r"^MAX_UPLOAD_BYTES must be an integer, got '20MB'$"):
        Config.from_env({"APP_ENV": "development", "MAX_UPLOAD_BYTES": "20MB"})
    with pytest.raises(ConfigError, match=r"^PARSE_TIMEOUT_SECONDS must be between 1 and 120$"):
        Config.from_env({"APP_ENV": "development", "PARSE_TIMEOUT_SECONDS": "300"})


def test_config_refuses_a_setting_it_does_not_declare():
    with pytest.raises(TypeError, match="MAX_UPLOAD_MB"):
        Config(MAX_UPLOAD_MB=5)
