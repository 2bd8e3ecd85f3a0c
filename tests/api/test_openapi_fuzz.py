"""Property-based API test: schemathesis generates requests from the OpenAPI document,
valid and invalid, with a tenant key, and every answer must be documented: no 5xx, no
status the document does not list, no body that breaks its schema.

The server runs on a thread of its own because schemathesis calls it synchronously, so
it cannot share the suite's event loop.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation import GenerationMode

from api.app import create_app
from callguide.devstack import free_port
from callguide.resources import open_stores
from callguide.settings import Settings, new_codec_key_spec
from tests.conftest import Stack, make_settings

# Per operation and generation mode: enough to reach each field's bounds, and the whole
# run stays well under a minute on two cores.
MAX_EXAMPLES = 50
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
    # Invalid input (negative mode) must be refused with a 4xx, never accepted.
    negative_data_rejection,
]


@dataclass(frozen=True)
class FuzzTarget:
    url: str
    headers: dict[str, str]


async def _tenant_key(settings: Settings) -> str:
    async with open_stores(settings) as stores:
        issued = await stores.tenants.create(f"fuzz-{uuid.uuid4().hex[:8]}", "us-east-1")
        return issued.api_key


@pytest.fixture(scope="module")
def target(stack: Stack) -> Iterator[FuzzTarget]:
    settings = make_settings(stack)
    api_key = asyncio.run(_tenant_key(settings))
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="fuzz-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the API did not start"
        time.sleep(0.02)
    try:
        yield FuzzTarget(f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {api_key}"})
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="module")
def api_schema(target: FuzzTarget) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_url(f"{target.url}/openapi.json")
    schema.config.generation.update(
        allow_x00=True,  # NUL characters are exactly what used to reach Temporal
    )
    return schema


def _cases() -> list[tuple[str, str, GenerationMode]]:
    """(method, path, mode) of every operation, read from the app without starting it;
    negative cases only where there is input to break."""
    doc = create_app(Settings(codec_keys=new_codec_key_spec("fuzz"))).openapi()
    return [
        (method.upper(), path, mode)
        for path, operations in doc["paths"].items()
        for method, operation in operations.items()
        for mode in GenerationMode
        if mode is GenerationMode.POSITIVE
        or operation.get("parameters")
        or operation.get("requestBody")
    ]


# schemathesis's own pytest integration (parametrize/from_fixture) reads a Function attribute
# pytest 9 no longer has, so each operation is a plain parametrized test driving hypothesis.
@pytest.mark.parametrize(("method", "path", "mode"), _cases())
def test_every_answer_is_documented(
    api_schema: schemathesis.BaseSchema,
    target: FuzzTarget,
    method: str,
    path: str,
    mode: GenerationMode,
) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,  # the same cases each run: a failure here is reproducible
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answered_as_documented(case: schemathesis.Case) -> None:
        if mode is GenerationMode.NEGATIVE and case.query:
            # An empty list or None is not sent at all (an unknown parameter generated with
            # one never reaches the server, which would have refused it): send it empty.
            case.query = {k: "" if v is None or v == [] else v for k, v in case.query.items()}
        case.call_and_validate(
            base_url=target.url, headers=target.headers, checks=CHECKS, timeout=10
        )

    answered_as_documented()
