"""scripts/run.py (`make run`): the BASE_URL it sets for mailed links when none is given."""

import importlib

import pytest

from webapp.config import PROJECT_ROOT


@pytest.fixture
def run(monkeypatch):
    """scripts/run.py as a module, with scripts/ importable as `python scripts/run.py` has
    it (run.py imports its sibling private_redis.py)."""
    monkeypatch.syspath_prepend(str(PROJECT_ROOT / "scripts"))
    return importlib.import_module("run")


@pytest.mark.parametrize(
    "host, port, expected",
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("0.0.0.0", 8080, "http://127.0.0.1:8080"),
        ("::", 9000, "http://127.0.0.1:9000"),
        ("[::]", 9000, "http://127.0.0.1:9000"),
        ("::1", 8000, "http://[::1]:8000"),
        ("copydesk.lan", 80, "http://copydesk.lan:80"),
    ],
)
def test_base_url_for_the_listening_address(run, host, port, expected):
    assert run.base_url_for(host, port) == expected


def test_base_url_is_set_from_host_and_port_only_when_unset(run, monkeypatch):
    monkeypatch.delenv("BASE_URL", raising=False)
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "8123")
    run.ensure_base_url()
    assert run.os.environ["BASE_URL"] == "http://127.0.0.1:8123"
    monkeypatch.setenv("BASE_URL", "https://copydesk.example.com")
    run.ensure_base_url()
    assert run.os.environ["BASE_URL"] == "https://copydesk.example.com"
