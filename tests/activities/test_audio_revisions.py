"""The audio worker hands the call a turn's revised redaction: a card begun on one turn and
finished on the next is stored, indexed for audio redaction and shown as a card."""

from __future__ import annotations

from temporalio.client import Client

from activities.audio import AudioActivities
from activities.live_redaction import LiveRedactor
from callguide.model import Speaker
from callguide.resources import Stores
from callguide.settings import Settings
from redaction.detector import PiiDetector
from tests.conftest import TenantKey
from tests.redaction.test_live import utterance
from tests.workflows.test_call_workflow import call_handle, start
from voice.asr.deepgram import DeepgramAsr
from workflows.call import CallWorkflow
from workflows.call_types import EndCallRequest


async def test_a_card_finished_on_the_next_turn_revises_the_stored_first_turn(
    client: Client, settings: Settings, stores: Stores, worker: None, tenant: TenantKey
) -> None:
    contact_id = await start(client, settings, tenant)
    handle = call_handle(client, tenant, contact_id)
    redactor = LiveRedactor(policies=None, master_key=None, detector_factory=PiiDetector)
    activities = AudioActivities(
        asr=DeepgramAsr(api_key="local", url="ws://127.0.0.1:9"),  # never connected here
        streams=stores.streams,
        reader_factory=lambda *args, **kwargs: None,  # type: ignore[arg-type,return-value]
        redactor=redactor,
    )
    try:
        redaction = await redactor.for_call(tenant.tenant_id, contact_id)
        for turn in [
            utterance(Speaker.CUSTOMER, "sure it's four six six six", 1000),
            utterance(Speaker.CUSTOMER, "uh 1760 3137 2159", 4000),
            utterance(Speaker.CUSTOMER, "and it expires oh nine twenty nine", 8000),
        ]:
            await activities.deliver_final(handle, await redaction.final(turn), None)
        await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
        await handle.result()
    finally:
        redactor.close()

    stored = await stores.calls.transcript(tenant.tenant_id, contact_id)
    assert [u.text for u in stored] == [
        "sure it's [CREDIT_CARD]",
        "[CREDIT_CARD]",
        "and it expires [EXPIRY]",
    ]
    assert "[PIN]" not in " ".join(w.word for u in stored for w in u.words)
    spans = await stores.calls.pii_spans(tenant.tenant_id, contact_id)
    assert [span.type for _, span in spans] == ["CREDIT_CARD", "CREDIT_CARD", "EXPIRY"]
    events = await stores.streams.read(tenant.tenant_id, contact_id)
    kinds = [e.event["type"] for e in events if e.event["type"].startswith("utterance")]
    assert kinds == ["utterance", "utterance", "utterance_revised", "utterance"]
