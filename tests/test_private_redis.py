"""The private Redis of `make run` (scripts/run.py, scripts/private_redis.py): loopback only,
a generated password that no command line shows, and data on disk that outlives a restart.
Started for real with the system's redis-server, through run.py's own start function."""

from __future__ import annotations

import importlib
import shutil
import stat

import pytest
import redis

from webapp.config import PROJECT_ROOT


@pytest.fixture
def scripts(monkeypatch):
    """scripts/ importable, as `python scripts/run.py` has it."""
    monkeypatch.syspath_prepend(str(PROJECT_ROOT / "scripts"))


@pytest.fixture
def run_script(scripts, monkeypatch, tmp_path):
    """scripts/run.py as a module, its instance/ directory moved to a temporary one."""
    if not shutil.which("redis-server"):
        pytest.fail(
            "redis-server not found on PATH (apt-get install -y redis-server)", pytrace=False
        )
    run = importlib.import_module("run")
    monkeypatch.setattr(run, "INSTANCE_DIR", tmp_path)
    monkeypatch.setattr(run, "PRIVATE_REDIS_LOG", tmp_path / "private-redis.log")
    monkeypatch.setattr(run, "ROOT", tmp_path.parent)
    return run


@pytest.fixture
def supervisor(run_script):
    sup = run_script.Supervisor()
    yield sup
    sup.stop_all()


def test_the_command_line_binds_loopback_keeps_data_and_hides_the_password(scripts, tmp_path):
    from private_redis import prepare

    files = prepare(tmp_path)
    argv = files.argv("/usr/bin/redis-server", 6390)
    options = dict(zip(argv[2::2], argv[3::2], strict=True))
    assert options["--bind"] == "127.0.0.1"
    assert options["--port"] == "6390"
    assert options["--dir"] == str(tmp_path / "redis")
    assert options["--appendonly"] == "yes"
    assert options["--protected-mode"] == "yes"
    assert argv[1] == str(files.config_file)
    assert files.password not in " ".join(argv)  # `ps` shows every command line
    assert f"requirepass {files.password}" in files.config_file.read_text()
    assert len(files.password) >= 32
    for path in (tmp_path / "redis_password", files.config_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE((tmp_path / "redis").stat().st_mode) == 0o700
    assert prepare(tmp_path).password == files.password  # generated once, then kept


def test_private_redis_refuses_strangers_and_keeps_queued_work_across_a_restart(
    run_script, supervisor, tmp_path
):
    url = run_script.start_private_redis(supervisor)
    password = (tmp_path / "redis_password").read_text().strip()
    assert url.startswith(f"redis://:{password}@127.0.0.1:")
    port = int(url.rsplit(":", 1)[1].split("/")[0])

    stranger = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5)
    with pytest.raises(redis.AuthenticationError):
        stranger.ping()
    with pytest.raises(redis.AuthenticationError):
        stranger.get("anything")
    stranger.close()

    client = redis.Redis.from_url(url, socket_timeout=5)
    assert client.config_get("bind")["bind"] == "127.0.0.1"
    assert client.config_get("appendonly")["appendonly"] == "yes"
    client.rpush("rq:queue:copydesk-default", "job-1", "job-2")
    client.close()
    ((_, process),) = supervisor.children
    assert password not in " ".join(process.args)

    supervisor.stop_all()  # as Ctrl-C on `make run` does
    again = run_script.start_private_redis(supervisor)
    client = redis.Redis.from_url(again, socket_timeout=5)
    assert client.lrange("rq:queue:copydesk-default", 0, -1) == [b"job-1", b"job-2"]
    client.close()
