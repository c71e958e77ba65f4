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
    config = Config.from_env({"APP_ENV": "production", "SECRET_KEY": "s" * 32,
                              "SESSION_COOKIE_SECURE": "false"})
    assert config.flask_settings()["SESSION_COOKIE_SECURE"] is False


def test_postgres_urls_use_psycopg3():
    config = Config.from_env({"APP_ENV": "development",
                              "DATABASE_URL": "postgres://u@localhost/db"})
    assert config.DATABASE_URL == "postgresql+psycopg://u@localhost/db"


@pytest.mark.parametrize("name,value", [("DEFAULT_PLAN", "platinum"), ("APP_ENV", "staging"),
                                        ("RATELIMIT_ENABLED", "maybe")])
def test_bad_values_are_rejected(name, value):
    with pytest.raises(ConfigError):
        Config.from_env({"APP_ENV": "development", name: value})
