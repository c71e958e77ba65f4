"""Every setting is documented, every documented setting is declared, and each one does
something: set to a value other than its default, the app's configuration changes (and
MAX_UPLOAD_BYTES, once ignored, refuses a larger upload through the API)."""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from webapp.config import MB, PROJECT_ROOT, SETTINGS, Config

from .conftest import TEST_KEY_PREFIX
from .factories import DEFAULT_PASSWORD, make_project, make_user

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
ENV_EXAMPLE = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
BASE = {"APP_ENV": "development"}

# For each setting: a value other than the default as the environment gives it, what the
# app's config then holds under the setting's name, and the derived keys that follow it.
SAMPLES = {
    "APP_ENV": ("Testing", "testing", {"TESTING": True}),
    "SECRET_KEY": ("k" * 40, "k" * 40, {}),
    "DATABASE_URL": (
        "postgres://u@db.example/copydesk",
        "postgresql+psycopg://u@db.example/copydesk",
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@db.example/copydesk",
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        },
    ),
    "REDIS_URL": (
        "redis://cache.example:6380/2",
        "redis://cache.example:6380/2",
        {"RATELIMIT_STORAGE_URI": "redis://cache.example:6380/2"},
    ),
    "REDIS_KEY_PREFIX": ("shop", "shop", {"RATELIMIT_KEY_PREFIX": "shop-rl"}),
    "SESSION_COOKIE_SECURE": ("yes", True, {"REMEMBER_COOKIE_SECURE": True}),
    "DEFAULT_PLAN": ("PRO", "pro", {}),
    "RATELIMIT_ENABLED": ("off", False, {}),
    "API_MAX_JSON_BYTES": ("4096", 4096, {}),
    "LOG_LEVEL": ("warning", "WARNING", {}),
    "ACCESS_TOKEN_TTL_SECONDS": ("600", 600, {}),
    "REFRESH_TOKEN_TTL_SECONDS": ("86400", 86400, {}),
    "BASE_URL": ("https://copydesk.example.com", "https://copydesk.example.com", {}),
    "TRUSTED_PROXIES": ("2", 2, {}),
    "SIGNUP_MODE": ("closed", "closed", {}),
    "REQUIRE_EMAIL_VERIFICATION": ("true", True, {}),
    "UPLOAD_DIR": ("/srv/uploads", "/srv/uploads", {}),
    "S3_BUCKET": ("copydesk", "copydesk", {}),
    "S3_ENDPOINT_URL": ("http://127.0.0.1:9000", "http://127.0.0.1:9000", {}),
    "S3_REGION": ("eu-west-1", "eu-west-1", {}),
    "S3_PREFIX": ("tenant-a/", "tenant-a/", {}),
    "MAX_UPLOAD_BYTES": ("1048576", MB, {"MAX_CONTENT_LENGTH": MB + 64 * 1024}),
    "PARSE_TIMEOUT_SECONDS": ("30", 30, {}),
    "PARSE_MEMORY_LIMIT_MB": ("512", 512, {}),
    "ALLOWED_PRIVATE_HOSTS": (
        "intranet.example, 127.0.0.1:8080",
        ["intranet.example", "127.0.0.1:8080"],
        {},
    ),
    "URL_FETCH_TIMEOUT_SECONDS": ("5", 5, {}),
    "URL_FETCH_MAX_BYTES": ("1000", 1000, {}),
    "LLM_MODEL": ("openai/gpt-4o-mini", "openai/gpt-4o-mini", {}),
    "LLM_API_BASE": ("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1", {}),
    "LLM_API_KEY": ("sk-test", "sk-test", {}),
    "LLM_FALLBACK_MODELS": ("a/b,c/d", ["a/b", "c/d"], {}),
    "LLM_TIMEOUT_SECONDS": ("12.5", 12.5, {}),
    "LLM_MAX_RETRIES": ("0", 0, {}),
    "LLM_RETRY_BASE_SECONDS": ("0.25", 0.25, {}),
    "LLM_MAX_PARALLEL_CALLS": ("2", 2, {}),
    "LLM_SOURCE_TOKEN_BUDGET": ("1500", 1500, {}),
    "GENERATION_TIMEOUT_SECONDS": ("60", 60, {}),
    "BULK_TIMEOUT_SECONDS": ("600", 600, {}),
    "JOB_STALE_SECONDS": ("90", 90, {}),
    "MAIL_SERVER": ("smtp.example.com", "smtp.example.com", {}),
    "MAIL_PORT": ("465", 465, {}),
    "MAIL_USERNAME": ("mailer", "mailer", {}),
    "MAIL_PASSWORD": ("s3cret", "s3cret", {}),
    "MAIL_USE_TLS": ("false", False, {}),
    "MAIL_USE_SSL": ("true", True, {}),
    "MAIL_FROM": ("Team <team@example.com>", "Team <team@example.com>", {}),
    "MAIL_OUTBOX_DIR": ("/srv/outbox", "/srv/outbox", {}),
}

# Variables of the README's second table: read by `make run` or `make test`, not the app.
TOOLING_READERS = (
    "scripts/run.py",
    "scripts/private_redis.py",
    "tests/fixtures/settings.py",
    "tests/fixtures/database.py",
    "Makefile",
)


def settings_section() -> str:
    start = README.index("## Settings")
    return README[start : README.index("\n## ", start + 1)]


def table_variables(table: str) -> set[str]:
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def app_table() -> str:
    section = settings_section()
    return section[: section.index("Read by `make run`")]


def tooling_table() -> str:
    section = settings_section()
    return section[section.index("Read by `make run`") :]


def test_the_readme_documents_exactly_the_declared_settings():
    documented = table_variables(app_table())
    assert len(documented) > 40
    assert not documented - set(SETTINGS), f"documented, not declared: {documented - set(SETTINGS)}"
    assert not set(SETTINGS) - documented, f"declared, not documented: {set(SETTINGS) - documented}"


def test_env_example_and_the_readme_name_the_same_variables():
    in_example = set(re.findall(r"^# ([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE, re.MULTILINE))
    in_readme = table_variables(app_table()) | table_variables(tooling_table())
    assert in_example == in_readme, (sorted(in_example - in_readme), sorted(in_readme - in_example))


def test_every_tooling_variable_is_read_by_the_tooling():
    sources = "\n".join(
        (PROJECT_ROOT / path).read_text(encoding="utf-8") for path in TOOLING_READERS
    )
    for name in table_variables(tooling_table()):
        assert re.search(rf"[\"'$({{]{name}\b", sources), f"{name} is read by nothing"


def test_every_setting_has_a_sample():
    assert set(SAMPLES) == set(SETTINGS)


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_a_non_default_value_changes_the_configuration(name):
    raw, expected, derived = SAMPLES[name]
    default = Config.from_env(BASE).flask_settings()
    changed = Config.from_env({**BASE, name: raw}).flask_settings()
    assert changed[name] == expected != default[name]
    for key, value in derived.items():
        assert changed[key] == value != default[key], key


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_a_blank_value_means_unset(name):
    environ = {**BASE, "SECRET_KEY": "s" * 32}
    unset = {key: value for key, value in environ.items() if key != name}
    blank = Config.from_env({**unset, name: "  "}).flask_settings()
    if name != "SECRET_KEY":  # a development key is drawn anew each time
        assert blank[name] == Config.from_env(unset).flask_settings()[name]


def upload(server: str, headers: dict, project_id: str, size: int) -> requests.Response:
    return requests.post(
        f"{server}/api/v1/sources/projects/{project_id}/sources",
        headers=headers,
        timeout=30,
        files={"file": ("notes.txt", b"a" * size, "text/plain")},
    )


def test_a_smaller_max_upload_bytes_refuses_a_larger_upload(start_server, app):
    server = start_server(
        MAX_UPLOAD_BYTES=str(MB), REDIS_KEY_PREFIX=f"{TEST_KEY_PREFIX}-{uuid.uuid4().hex[:6]}"
    )
    user = make_user(app, email="uploader@example.com")
    project = make_project(app, user)
    token = requests.post(
        f"{server}/api/v1/auth/login",
        timeout=10,
        json={"email": "uploader@example.com", "password": DEFAULT_PASSWORD},
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}

    just_over = upload(server, headers, project.id, MB + 1)  # within the request limit
    far_over = upload(server, headers, project.id, 2 * MB)  # past MAX_CONTENT_LENGTH too
    for refused in (just_over, far_over):
        assert refused.status_code == 413
        assert refused.json()["detail"] == {
            "code": "FILE_TOO_LARGE",
            "message": "The file is larger than the 1 MB limit.",
        }
    assert upload(server, headers, project.id, MB).status_code == 201
