"""Structured logs: JSON lines naming the tenant and call they concern, from activities
(through the Temporal client's interceptor) and API requests, with no query strings."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

from callguide.logging import configure_logging, log_context
from callguide.settings import Settings
from tests.conftest import Stack, TenantKey, make_settings, running_api

log = logging.getLogger("callguide.tests.logging")


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """Everything logged while the test runs, as the CLI's processes write it."""
    stream = io.StringIO()
    handler = configure_logging("json", stream=stream)
    root = logging.getLogger()
    level = root.level
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def parsed(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@dataclass
class Greeting:
    tenant_id: str
    call_id: str
    count: int


@activity.defn(name="log_a_count")
async def log_a_count(request: Greeting) -> int:
    log.info("counted %d", request.count)
    return request.count


# Unsandboxed: the sandbox would re-import this module with its test-only imports.
@workflow.defn(name="LogsFromAnActivity", sandboxed=False)
class LogsFromAnActivity:
    @workflow.run
    async def run(self, request: Greeting) -> int:
        result: int = await workflow.execute_activity(
            log_a_count, request, start_to_close_timeout=timedelta(seconds=30)
        )
        return result


async def test_an_activity_logs_json_lines_with_its_tenant_and_call(
    client: Client, settings: Settings, json_lines: io.StringIO
) -> None:
    queue = settings.task_queue("logging")
    request = Greeting(tenant_id="tenant-logs", call_id=f"call-{uuid.uuid4().hex[:8]}", count=3)
    async with Worker(
        client, task_queue=queue, workflows=[LogsFromAnActivity], activities=[log_a_count]
    ):
        result = await client.execute_workflow(
            LogsFromAnActivity.run, request, id=f"logs-{request.call_id}", task_queue=queue
        )
    assert result == 3
    lines = [line for line in parsed(json_lines) if line["logger"] == log.name]
    assert lines == [
        {
            "time": lines[0]["time"],
            "level": "INFO",
            "logger": log.name,
            "message": "counted 3",
            "tenant_id": "tenant-logs",
            "call_id": request.call_id,
        }
    ]
    log.info("after the activity")
    assert parsed(json_lines)[-1]["call_id"] is None, "the ids stay with the activity"


async def test_an_api_request_logs_its_tenant_and_call_and_no_query_string(
    stack: Stack, tenant: TenantKey, json_lines: io.StringIO
) -> None:
    settings = make_settings(stack)
    async with running_api(settings) as url, httpx.AsyncClient(base_url=url) as http:
        # The test server configures uvicorn's own logging (`callguide api` leaves it to
        # ours): hand its access log to the JSON handler, as in the CLI's API.
        access = logging.getLogger("uvicorn.access")
        level = access.level
        ours = next(h for h in logging.getLogger().handlers if h.get_name() == "callguide")
        access.setLevel(logging.INFO)
        access.addHandler(ours)
        missing = await http.get("/v1/calls/no-such-call/transcript", headers=tenant.headers)
        listed = await http.get("/v1/calls", params={"status": "active"}, headers=tenant.headers)
        access.setLevel(level)
        access.removeHandler(ours)
    assert missing.status_code == 404 and listed.status_code == 200
    lines = [line for line in parsed(json_lines) if line["logger"] == "uvicorn.access"]
    transcript = [line for line in lines if "/transcript" in line["message"]]
    assert transcript and transcript[0]["tenant_id"] == tenant.tenant_id
    assert transcript[0]["call_id"] == "no-such-call"
    listing = [line for line in lines if "/v1/calls " in line["message"]]
    assert listing and listing[0]["tenant_id"] == tenant.tenant_id
    assert listing[0]["call_id"] is None
    assert not [line for line in lines if "status=active" in line["message"]], lines


def test_records_naming_their_own_ids_keep_them(json_lines: io.StringIO) -> None:
    with log_context(tenant_id="tenant-a", call_id="call-a"):
        log.warning("refused", extra={"tenant_id": "tenant-b"})
        log.info("inside")
    log.info("outside")
    refused, inside, outside = parsed(json_lines)[-3:]
    assert (refused["tenant_id"], refused["call_id"]) == ("tenant-b", "call-a")
    assert (inside["tenant_id"], inside["call_id"]) == ("tenant-a", "call-a")
    assert (outside["tenant_id"], outside["call_id"]) == (None, None)


def test_text_format_is_for_people(json_lines: io.StringIO) -> None:
    stream = io.StringIO()
    handler = configure_logging("text", stream=stream)
    try:
        with log_context(tenant_id="tenant-a", call_id="call-a"):
            log.info("hello")
        log.info("bye")
    finally:
        logging.getLogger().removeHandler(handler)
    first, second = stream.getvalue().splitlines()
    assert first.endswith(f"INFO {log.name} [tenant-a call-a] hello")
    assert second.endswith(f"INFO {log.name} [- -] bye")
    assert json_lines.getvalue() == "", "configuring again replaces the JSON handler"
