"""The remote codec endpoint the Temporal UI uses to show decrypted payloads."""

from __future__ import annotations

import base64
import uuid

import httpx
from temporalio.api.workflowservice.v1 import GetWorkflowExecutionHistoryRequest
from temporalio.client import Client

from callguide.model import Speaker, Utterance
from callguide.settings import Settings
from tests.api.test_calls import start_call
from tests.conftest import TenantKey, running_api
from workflows.call import CallWorkflow
from workflows.call_types import EndCallRequest


async def test_codec_decodes_what_history_holds_encrypted(
    http: httpx.AsyncClient, tenant: TenantKey, worker: None, client: Client
) -> None:
    _call_id, workflow_id = await start_call(http, tenant)
    handle = client.get_workflow_handle_for(CallWorkflow.run, workflow_id)
    secret = f"my date of birth is {uuid.uuid4().hex}"
    await handle.signal(CallWorkflow.add_utterance, Utterance(Speaker.CUSTOMER, secret, 0, 900))
    await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
    await handle.result()

    history = await client.workflow_service.get_workflow_execution_history(
        GetWorkflowExecutionHistoryRequest(
            namespace=client.namespace, execution={"workflow_id": workflow_id}
        )
    )
    signal = next(
        e.workflow_execution_signaled_event_attributes
        for e in history.history.events
        if e.HasField("workflow_execution_signaled_event_attributes")
        and e.workflow_execution_signaled_event_attributes.signal_name == "add_utterance"
    )
    raw = signal.input.payloads[0]
    body = {
        "payloads": [
            {
                "metadata": {k: base64.b64encode(v).decode() for k, v in raw.metadata.items()},
                "data": base64.b64encode(raw.data).decode(),
            }
        ]
    }
    assert secret.encode() not in raw.data

    denied = await http.post("/codec/decode", json=body)
    assert denied.status_code == 401
    decoded = await http.post("/codec/decode", json=body, headers=tenant.headers)
    assert decoded.status_code == 200
    plain = base64.b64decode(decoded.json()["payloads"][0]["data"])
    assert secret.encode() in plain

    encoded = await http.post("/codec/encode", json=decoded.json(), headers=tenant.headers)
    assert encoded.status_code == 200
    assert secret.encode() not in base64.b64decode(encoded.json()["payloads"][0]["data"])


async def test_codec_answers_the_temporal_ui_preflight(
    http: httpx.AsyncClient, settings: Settings
) -> None:
    response = await http.options(
        "/codec/decode",
        headers={
            "Origin": settings.temporal_ui_url,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-namespace,authorization",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == settings.temporal_ui_url


async def test_dev_stack_lets_the_local_ui_decode_without_a_token(settings: Settings) -> None:
    async with running_api(settings.model_copy(update={"dev_mode": True})) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            response = await http.post("/codec/decode", json={"payloads": []})
    assert response.status_code == 200
