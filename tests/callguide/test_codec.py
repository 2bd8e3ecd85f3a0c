"""Payload encryption: AES-GCM with key ids, a key per tenant; rotation keeps old keys readable."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import (
    ActivitySerializationContext,
    WorkflowSerializationContext,
)

from callguide.codec import (
    ENCODING,
    AesGcmCodec,
    TamperedPayloadError,
    UnknownKeyError,
    derive_tenant_key,
    payload_tenant,
    tenant_of_workflow,
)
from callguide.settings import Settings, new_codec_key_spec, parse_codec_keys

PLAIN = Payload(metadata={"encoding": b"json/plain"}, data=b'{"text": "card 4111"}')
TENANT_A = "0123456789ab"
TENANT_B = "ba9876543210"


def workflow_context(workflow_id: str) -> WorkflowSerializationContext:
    return WorkflowSerializationContext(namespace="default", workflow_id=workflow_id)


def activity_context(workflow_id: str | None) -> ActivitySerializationContext:
    return ActivitySerializationContext(
        namespace="default",
        activity_id="1",
        activity_type="stream_call_audio",
        activity_task_queue="audio",
        workflow_id=workflow_id,
        workflow_type="CallWorkflow",
        is_local=False,
    )


async def test_round_trip_hides_the_plaintext() -> None:
    codec = AesGcmCodec(keys=parse_codec_keys(new_codec_key_spec("k1")))
    [sealed] = await codec.encode([PLAIN])
    assert sealed.metadata["encoding"] == ENCODING
    assert sealed.metadata["encryption-key-id"] == b"k1"
    assert b"4111" not in sealed.data
    assert await codec.decode([sealed]) == [PLAIN]


async def test_rotation_encrypts_with_the_new_key_and_reads_the_old() -> None:
    old_spec = new_codec_key_spec("k1")
    [old_sealed] = await AesGcmCodec(keys=parse_codec_keys(old_spec)).encode([PLAIN])
    rotated = AesGcmCodec(keys=parse_codec_keys(f"{new_codec_key_spec('k2')},{old_spec}"))
    [new_sealed] = await rotated.encode([PLAIN])
    assert new_sealed.metadata["encryption-key-id"] == b"k2"
    assert await rotated.decode([old_sealed, new_sealed]) == [PLAIN, PLAIN]


async def test_unknown_key_and_tampering_are_refused() -> None:
    [sealed] = await AesGcmCodec(keys=parse_codec_keys(new_codec_key_spec("k1"))).encode([PLAIN])
    with pytest.raises(UnknownKeyError):
        await AesGcmCodec(keys=parse_codec_keys(new_codec_key_spec("k9"))).decode([sealed])
    same_id_other_key = AesGcmCodec(keys=parse_codec_keys(new_codec_key_spec("k1")))
    with pytest.raises(TamperedPayloadError):
        await same_id_other_key.decode([sealed])


async def test_truncated_or_flipped_payloads_are_tampered_not_crashes() -> None:
    codec = AesGcmCodec(keys=parse_codec_keys(new_codec_key_spec("k1")), tenant_id=TENANT_A)
    [sealed] = await codec.encode([PLAIN])
    flipped = Payload(metadata=sealed.metadata, data=sealed.data[:-1] + b"\x00")
    short = Payload(metadata=sealed.metadata, data=sealed.data[:5])
    for bad in (flipped, short):
        with pytest.raises(TamperedPayloadError):
            await codec.decode([bad])
    bad_tenant = Payload(
        metadata={**sealed.metadata, "encryption-key-id": b"k1/not-a-tenant"}, data=sealed.data
    )
    with pytest.raises(UnknownKeyError):
        await codec.decode([bad_tenant])


def test_call_workflow_ids_name_their_tenant() -> None:
    assert tenant_of_workflow(f"call-{TENANT_A}-contact-1") == TENANT_A
    # The call's post-call audio redaction and its verification hold the same tenant's data.
    assert tenant_of_workflow(f"redact-{TENANT_A}-contact-1") == TENANT_A
    assert tenant_of_workflow(f"verify-{TENANT_A}-contact-1") == TENANT_A
    assert tenant_of_workflow(f"guidance-{TENANT_A}-contact-1") == TENANT_A
    assert tenant_of_workflow(f"export-{TENANT_A}-contact-1") is None
    assert tenant_of_workflow(f"call-{TENANT_A}-") is None
    assert tenant_of_workflow("nightly-export") is None
    assert tenant_of_workflow(None) is None


async def test_call_payloads_are_sealed_with_their_tenants_key() -> None:
    spec = new_codec_key_spec("k1")
    codec = AesGcmCodec(keys=parse_codec_keys(spec))
    for context in (
        workflow_context(f"call-{TENANT_A}-c1"),
        activity_context(f"call-{TENANT_A}-c1"),
    ):
        [sealed] = await codec.with_context(context).encode([PLAIN])
        assert sealed.metadata["encryption-key-id"] == f"k1/{TENANT_A}".encode()
        assert payload_tenant(sealed) == TENANT_A
        # Any codec opens it by its key id, whatever its own context.
        assert await codec.with_context(workflow_context("other")).decode([sealed]) == [PLAIN]

    # It is A's derived key that sealed it, not the master key and not B's.
    master = parse_codec_keys(spec)[0][1]
    [sealed] = await codec.with_context(workflow_context(f"call-{TENANT_A}-c1")).encode([PLAIN])
    as_b = Payload(
        metadata={**sealed.metadata, "encryption-key-id": f"k1/{TENANT_B}".encode()},
        data=sealed.data,
    )
    with pytest.raises(TamperedPayloadError):
        await codec.decode([as_b])
    nonce, body = sealed.data[:12], sealed.data[12:]
    opened = AESGCM(derive_tenant_key(master, TENANT_A)).decrypt(
        nonce, body, f"k1/{TENANT_A}".encode()
    )
    assert Payload.FromString(opened) == PLAIN
    assert derive_tenant_key(master, TENANT_A) != derive_tenant_key(master, TENANT_B)


async def test_payloads_without_a_call_keep_the_master_key() -> None:
    codec = AesGcmCodec(keys=parse_codec_keys(new_codec_key_spec("k1")))
    for context in (workflow_context("nightly-export"), activity_context(None)):
        [sealed] = await codec.with_context(context).encode([PLAIN])
        assert sealed.metadata["encryption-key-id"] == b"k1"
        assert payload_tenant(sealed) is None


async def test_tenant_keys_rotate_with_their_master() -> None:
    old_spec = new_codec_key_spec("k1")
    old = AesGcmCodec(keys=parse_codec_keys(old_spec), tenant_id=TENANT_A)
    [old_sealed] = await old.encode([PLAIN])
    rotated = AesGcmCodec(
        keys=parse_codec_keys(f"{new_codec_key_spec('k2')},{old_spec}"), tenant_id=TENANT_A
    )
    [new_sealed] = await rotated.encode([PLAIN])
    assert new_sealed.metadata["encryption-key-id"] == f"k2/{TENANT_A}".encode()
    assert await rotated.decode([old_sealed, new_sealed]) == [PLAIN, PLAIN]


def test_malformed_keys_are_rejected_at_startup() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        Settings(codec_keys="k1:c2hvcnQ=")
    with pytest.raises(ValueError, match="key-id:base64-key"):
        Settings(codec_keys="nocolon")
    key = base64.b64encode(b"k" * 32).decode()
    with pytest.raises(ValueError, match="must not contain '/'"):
        Settings(codec_keys=f"k1/x:{key}")


def test_secrets_do_not_show_in_settings_reprs() -> None:
    spec = new_codec_key_spec("k1")
    settings = Settings(
        codec_keys=spec,
        codec_auth_token="operator-token",
        deepgram_api_key="dg-key",
        temporal_api_key="tc-key",
    )
    shown = repr(settings) + str(settings.model_dump())
    for secret in (spec, "operator-token", "dg-key", "tc-key"):
        assert secret not in shown
    assert settings.codec_keys.get_secret_value() == spec
