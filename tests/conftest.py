"""Fixtures, loaded from tests/fixtures/ (one module per concern): app and database, Redis,
HTTP client and sign-in, mail outbox, servers and processes; the model server from
tests/llm_server.py. Tests use the real database named by TEST_DATABASE_URL (default: a
temporary SQLite file) and the real Redis at TEST_REDIS_URL, but only when they request
`db` or a fixture that does (client, auth, app_config, outbox, start_server, ...): the other
tests are marked `unit` and run with neither (`pytest -m unit`)."""

from __future__ import annotations

import pytest

# Before the imports below, so that asserts in these modules are rewritten too.
pytest.register_assert_rewrite("tests.fixtures", "tests.llm_server")


# Helpers that tests import from here.
from .factories import DEFAULT_PASSWORD, make_project, make_user  # noqa: F401
from .fixtures.http_client import AuthActions, csrf_token_from  # noqa: F401
from .fixtures.mail import Outbox  # noqa: F401
from .fixtures.redis_keys import clear_redis_keys  # noqa: F401
from .fixtures.servers import (  # noqa: F401
    PageHandler,
    free_port,
    launch_worker,
    process_environment,
    stop_process,
    wait_for_children,
    wait_until_up,
)
from .fixtures.settings import (  # noqa: F401
    OUTBOX_DIR,
    TEST_KEY_PREFIX,
    TEST_REDIS_URL,
    UPLOAD_DIR,
    build_test_config,
)
from .fixtures.waiting import wait_for, wait_for_log  # noqa: F401

pytest_plugins = [
    "tests.fixtures.database",
    "tests.fixtures.redis_keys",
    "tests.fixtures.http_client",
    "tests.fixtures.mail",
    "tests.fixtures.servers",
    "tests.fixtures.markers",
    "tests.llm_server",
]
