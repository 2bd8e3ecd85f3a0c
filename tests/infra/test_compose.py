"""docker-compose.yml: it validates, and it runs every process the code needs with the
settings each one reads. (Nothing is started: no images can be pulled in the suite.)"""

from __future__ import annotations

import secrets
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml

from callguide.settings import Settings, new_codec_key_spec, parse_codec_keys
from workers.main import ALL_QUEUES

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / "examples" / "compose.env"
DOCKER_COMPOSE = shutil.which("docker-compose")
needs_docker_compose = pytest.mark.skipif(
    DOCKER_COMPOSE is None,
    reason="docker-compose is not installed (Debian's docker-compose package; "
    "`make system-deps` installs it)",
)
# Processes built from this repository's image, by the callguide command they run.
CALLGUIDE_COMMANDS = {"api", "worker", "ctr-consumer"}


def filled_env_file(tmp_path: Path) -> Path:
    """examples/compose.env with every required value filled in, as an operator would."""
    values = {
        "CALLGUIDE_CODEC_KEYS": new_codec_key_spec("k1"),
        "CALLGUIDE_CODEC_AUTH_TOKEN": secrets.token_urlsafe(16),
        "CALLGUIDE_OPERATOR_TOKEN": secrets.token_urlsafe(16),
        "POSTGRES_PASSWORD": secrets.token_hex(8),
        "TEMPORAL_POSTGRES_PASSWORD": secrets.token_hex(8),
        "CLICKHOUSE_PASSWORD": secrets.token_hex(8),
    }
    lines = []
    for line in ENV_EXAMPLE.read_text().splitlines():
        name = line.partition("=")[0]
        lines.append(f"{name}={values.pop(name)}" if name in values else line)
    assert not values, f"examples/compose.env does not name {sorted(values)}"
    path = tmp_path / "compose.env"
    path.write_text("\n".join(lines) + "\n")
    return path


def compose(*args: str, env_file: Path) -> subprocess.CompletedProcess[str]:
    assert DOCKER_COMPOSE is not None
    return subprocess.run(
        [DOCKER_COMPOSE, "--env-file", str(env_file), "-f", str(COMPOSE_FILE), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return loaded


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The configuration as docker-compose resolves it (variables filled in)."""
    if DOCKER_COMPOSE is None:
        pytest.skip("docker-compose is not installed (`make system-deps` installs it)")
    done = compose("config", env_file=filled_env_file(tmp_path_factory.mktemp("compose")))
    assert done.returncode == 0, done.stderr
    config: dict[str, Any] = yaml.safe_load(done.stdout)
    return config


def callguide_command(service: dict[str, Any]) -> str | None:
    command = service.get("command")
    if service.get("image") != "callguide:local" or not isinstance(command, list):
        return None
    return command[0] if command and command[0] in CALLGUIDE_COMMANDS else None


@needs_docker_compose
def test_compose_file_validates(tmp_path: Path) -> None:
    done = compose("config", "-q", env_file=filled_env_file(tmp_path))
    assert done.returncode == 0, done.stderr


@needs_docker_compose
def test_missing_secret_is_named_not_defaulted(tmp_path: Path) -> None:
    empty = tmp_path / "empty.env"
    empty.write_text("")
    done = compose("config", "-q", env_file=empty)
    assert done.returncode != 0
    assert "in .env" in done.stderr  # the message says which variable to set, and where


def test_every_process_the_code_needs_is_a_service(raw: dict[str, Any]) -> None:
    services = raw["services"]
    for name in (
        "api",
        "temporal",
        "temporal-ui",
        "postgres",
        "redis",
        "clickhouse",
        "s3",
        "kvs",
        "asr",
        "llm",
        "ctr-consumer",
    ):
        assert name in services, name
    served = set()
    for service in services.values():
        if callguide_command(service) == "worker":
            command = service["command"]
            served.update(command[command.index("--queues") + 1].split(","))
    assert served == set(ALL_QUEUES)
    # Temporal keeps its state in a PostgreSQL of its own, not callguide's.
    temporal_db = services["temporal"]["environment"]["POSTGRES_SEEDS"]
    assert temporal_db in services and temporal_db != "postgres"
    assert services["temporal"]["environment"]["DB"] == "postgres12"


def test_one_worker_service_per_queue(raw: dict[str, Any]) -> None:
    # Each queue scales on its own (docs/deploy.md): no service serves two queues.
    for name, service in raw["services"].items():
        if callguide_command(service) == "worker":
            queues = service["command"][service["command"].index("--queues") + 1]
            assert "," not in queues, name


def test_dependencies_healthchecks_and_volumes_are_consistent(raw: dict[str, Any]) -> None:
    services = raw["services"]
    for name, service in services.items():
        for dependency, rule in (service.get("depends_on") or {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], f"{dependency} has no healthcheck"
        for volume in service.get("volumes") or []:
            source = volume.split(":")[0]
            assert source in (raw.get("volumes") or {}), f"{name}: undeclared volume {source}"
        if callguide_command(service) or name in {"postgres", "redis", "clickhouse", "temporal"}:
            assert "healthcheck" in service or name == "ctr-consumer", name
    for store in ("postgres", "redis", "clickhouse", "temporal-postgres"):
        assert services[store].get("volumes"), f"{store} keeps its data in a named volume"


def test_every_callguide_service_gets_the_settings_it_needs(
    resolved: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    services = resolved["services"]
    checked = []
    for name, service in services.items():
        if callguide_command(service) is None:
            continue
        checked.append(name)
        environment = service["environment"]
        with monkeypatch.context() as patch:
            for key, value in environment.items():
                patch.setenv(key, str(value))
            settings = Settings(_env_file=None)  # type: ignore[call-arg]

        def host(url: str | None, service_name: str = name) -> str | None:
            assert url, f"{service_name}: a URL is not set"
            return urlparse(url if "://" in url else f"tcp://{url}").hostname

        assert host(settings.temporal_address) == "temporal", name
        assert host(settings.database_url) == "postgres", name
        assert host(settings.redis_url) == "redis", name
        assert host(settings.s3_endpoint_url) == "s3", name
        assert host(settings.ctr_kinesis_endpoint_url) == "s3", name
        assert settings.ctr_stream_name, name
        assert settings.analytics_url is not None, name
        assert host(settings.analytics_url.get_secret_value()) == "clickhouse", name
        assert host(settings.asr_url) == "asr" and host(settings.llm_url) == "llm", name
        assert host(environment["AWS_ENDPOINT_URL_KINESIS_VIDEO"]) == "kvs", name
        assert parse_codec_keys(settings.codec_keys.get_secret_value()), name
        assert settings.codec_auth_token and settings.operator_token, name
    assert {"api", "ctr-consumer"} <= set(checked)
    assert len(checked) == len(ALL_QUEUES) + 2


def test_temporal_ui_decodes_through_the_apis_codec_endpoint(resolved: dict[str, Any]) -> None:
    services = resolved["services"]
    endpoint = urlparse(services["temporal-ui"]["environment"]["TEMPORAL_CODEC_ENDPOINT"])
    assert endpoint.path == "/codec"
    # The browser calls it: the API's port as published on the host.
    assert endpoint.port in published_ports(services["api"])
    cors = services["api"]["environment"]["CALLGUIDE_TEMPORAL_UI_URL"]
    assert urlparse(cors).port in published_ports(services["temporal-ui"])


def published_ports(service: dict[str, Any]) -> set[int]:
    """Host ports, from the short ("127.0.0.1:8000:8000", docker-compose 1.x) or long
    (Compose v2) form."""
    ports = set()
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            ports.add(int(port["published"]))
        else:
            ports.add(int(str(port).split(":")[-2]))
    return ports
