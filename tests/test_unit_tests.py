"""Pure-function tests run without a database or Redis: `pytest -m unit` with both
unreachable passes, since loading the fixtures connects to nothing. (One module here, to
keep it quick; the README's command runs every unit test that way.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from webapp.config import PROJECT_ROOT

NOWHERE = {
    "TEST_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
    "TEST_REDIS_URL": "redis://127.0.0.1:1/0",
}


def test_pure_tests_pass_with_no_database_and_no_redis():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-m",
            "unit",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "pytest_timeout",
            "tests/services/test_links.py",
        ],
        check=False,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        # Without plugins the suite does not use (hypothesis, schemathesis): half the time.
        env={**os.environ, **NOWHERE, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        timeout=240,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    passed = re.search(r"(\d+) passed", result.stdout)
    assert passed and int(passed.group(1)) >= 20, result.stdout[-3000:]
    assert "deselected" not in result.stdout, "a test of a pure module asks for the world"
