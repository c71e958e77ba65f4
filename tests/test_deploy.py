"""The docker-compose deployment and the Dockerfile are safe as shipped: ports on loopback
unless the operator says otherwise, no default passwords, every image pinned, BASE_URL
required, forwarded headers believed from nobody by default, no MinIO image."""

from __future__ import annotations

import re

import pytest
import yaml

from webapp.config import PROJECT_ROOT

COMPOSE_TEXT = (PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8")
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES = COMPOSE["services"]
DOCKERFILE = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")

VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|KEY")
VERSION_TAG = re.compile(r"^v?\d+\.\d+(\.\d+)*([-_.][a-z0-9]+)*$")


def with_defaults(value: str) -> str:
    """`value` as compose reads it with no variable set: `${X:-d}` gives d; a required
    variable (`${X:?msg}`) or a plain `${X}` stays visible as <X>."""

    def replace(match):
        name, operator, argument = match.groups()
        return argument if operator in (":-", "-") else f"<{name}>"

    return VARIABLE.sub(replace, value.replace("$$", "$"))


def published(port) -> tuple[str, str]:
    """(host address, host port) of a `ports:` entry, short or long syntax."""
    if isinstance(port, dict):
        return with_defaults(str(port.get("host_ip", ""))), str(port.get("published", ""))
    parts = with_defaults(str(port)).rsplit(":", 2)
    return (parts[0], parts[1]) if len(parts) == 3 else ("", parts[0])


def test_ports_are_published_on_loopback_by_default():
    ports = [
        (name, port) for name, service in SERVICES.items() for port in service.get("ports", [])
    ]
    assert ports, "the web port is published"
    for name, port in ports:
        address, _ = published(port)
        assert address in ("127.0.0.1", "[::1]", "::1"), (name, port)
    assert with_defaults(SERVICES["web"]["ports"][0]).startswith("127.0.0.1:")
    assert "${COPYDESK_BIND:-127.0.0.1}" in SERVICES["web"]["ports"][0]


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_image_is_pinned(name):
    service = SERVICES[name]
    image = with_defaults(service.get("image", ""))
    assert image or "build" in service, name
    repository, _, tag = image.rpartition(":") if ":" in image else (image, "", "")
    assert tag and tag != "latest", f"{name}: {image} is not pinned"
    if "build" in service:
        assert service.get("pull_policy") == "build", f"{name}: the app image is never pulled"
    else:
        assert VERSION_TAG.match(tag), f"{name}: {image} is not an exact version"
    assert "minio" not in repository.lower(), f"{name}: {image}"


def test_the_dockerfile_base_image_is_an_exact_version():
    bases = re.findall(r"^FROM\s+(\S+)", DOCKERFILE, re.M)
    assert bases
    for base in bases:
        tag = base.split("@")[0].rpartition(":")[2]
        assert re.match(r"^\d+\.\d+\.\d+", tag), base


def test_no_secret_has_a_default_and_the_essentials_are_required():
    for match in VARIABLE.finditer(COMPOSE_TEXT):
        name, operator, argument = match.groups()
        if SECRET_NAME.search(name) and operator in (":-", "-"):
            # An optional secret may be unset (empty), never preset to a known value.
            assert argument == "", f"${{{name}}} defaults to {argument!r}"
    for name in (
        "SECRET_KEY",
        "BASE_URL",
        "POSTGRES_PASSWORD",
        "REDIS_PASSWORD",
        "S3_ACCESS_KEY_ID",
        "S3_SECRET_ACCESS_KEY",
    ):
        uses = [m for m in VARIABLE.finditer(COMPOSE_TEXT) if m.group(1) == name]
        assert uses, name
        for use in uses:
            assert use.group(2) == ":?" and use.group(3).strip(), (
                f"{use.group(0)}: {name} must be required, with a message saying what to set"
            )


def test_the_app_reaches_redis_and_storage_with_those_secrets():
    environment = COMPOSE["x-app"]["environment"]
    assert "${REDIS_PASSWORD:?" in environment["REDIS_URL"]
    assert "--requirepass" in SERVICES["redis"]["command"]
    assert environment["AWS_SECRET_ACCESS_KEY"].startswith("${S3_SECRET_ACCESS_KEY:?")
    assert environment["S3_ENDPOINT_URL"] == "http://seaweedfs:8333"
    assert SERVICES["seaweedfs"]["image"].startswith("chrislusf/seaweedfs:")
    assert "-s3.config=" in SERVICES["seaweedfs"]["command"][0]
    assert "create_bucket" in SERVICES["storage-init"]["command"][-1]
    for name in ("web", "worker"):
        needs = SERVICES[name]["depends_on"]
        assert needs["storage-init"]["condition"] == "service_completed_successfully"


def test_forwarded_headers_are_believed_from_nobody_by_default():
    assert with_defaults(COMPOSE["x-app"]["environment"]["TRUSTED_PROXIES"]) == "0"
    command = [with_defaults(part) for part in SERVICES["web"]["command"]]
    allowed = [
        part.split("=", 1)[1] for part in command if part.startswith("--forwarded-allow-ips")
    ]
    assert allowed == ["127.0.0.1"], command
    assert "*" not in COMPOSE_TEXT.split("forwarded-allow-ips", 1)[1].split("\n", 1)[0]
