"""The contact-flow Lambda against the real API."""

from __future__ import annotations

import asyncio
import importlib.util
import uuid
from pathlib import Path

import pytest

from callguide.connect_events import contact_flow_event
from tests.conftest import TenantKey

# What Connect names a contact's stream, in the account of the instance the events name.
STREAM_PREFIX = "arn:aws:kinesisvideo:us-east-1:111122223333:stream/connect-demo-contact-"
LAMBDA = Path(__file__).resolve().parents[2] / "infra" / "lambda" / "contact_flow.py"


def load_handler():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("contact_flow_lambda", LAMBDA)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.handler


async def test_lambda_starts_the_call_and_reports_refusals(
    api_url: str, tenant: TenantKey, worker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = load_handler()
    monkeypatch.setenv("CALLGUIDE_API_URL", api_url)
    monkeypatch.setenv("CALLGUIDE_API_KEY", tenant.api_key)
    contact_id = str(uuid.uuid4())
    event = contact_flow_event(contact_id=contact_id, stream_arn=f"{STREAM_PREFIX}{contact_id}/1")

    first = await asyncio.to_thread(handler, event)
    again = await asyncio.to_thread(handler, event)
    assert first == {"callguide_call_id": contact_id, "callguide_created": "true"}
    assert again["callguide_created"] == "false"

    event["Details"]["ContactData"]["Channel"] = "CHAT"
    with pytest.raises(RuntimeError, match=r"400.*Channel"):
        await asyncio.to_thread(handler, event)
