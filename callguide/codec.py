"""AES-GCM payload encryption for everything Temporal stores, with a key per tenant.

The operator configures master keys ("kid:base64,..."; the first encrypts, all decrypt).
A call's payloads are sealed with a key derived from the active master key for the call's
tenant (HKDF-SHA256, the tenant id in `info`), so a tenant's key opens only that tenant's
payloads. The key id in the payload metadata says which key sealed it:

- `<master-kid>/<tenant-id>`: the tenant key derived from that master key;
- `<master-kid>`: the master key itself, for payloads with no tenant (workflows that are
  not calls) and for every payload written before tenant keys existed.

Decoding reads only the metadata, never the serialization context, so it works wherever a
payload travels (client, workers, the codec endpoint, rotation, replays of old histories).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Sequence
from typing import Self

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from google.protobuf.message import DecodeError
from temporalio.api.common.v1 import Payload
from temporalio.converter import (
    ActivitySerializationContext,
    PayloadCodec,
    SerializationContext,
    WithSerializationContext,
    WorkflowSerializationContext,
)

ENCODING = b"binary/encrypted"
KEY_ID_METADATA = "encryption-key-id"
NONCE_BYTES = 12
TAG_BYTES = 16
# Separates tenant payload keys from anything else one might ever derive from a master key.
HKDF_INFO_PREFIX = b"callguide/temporal-payload-key/v1/"

# Tenant ids are 12 lowercase hex characters (storage.tenants); a call's workflows are
# named `<kind>-<tenant>-<contact>`: the call itself (callguide.model.call_workflow_id),
# its real-time guidance (workflows.guidance_types) and its post-call redaction and
# verification (workflows.redaction_types).
_TENANT_ID = re.compile(r"[0-9a-f]{12}")
_CALL_WORKFLOW_ID = re.compile(r"(?:call|guidance|redact|verify)-([0-9a-f]{12})-.+", re.DOTALL)


class CodecError(ValueError):
    """A payload this codec cannot open: the codec endpoint answers these with a 400."""


class UnknownKeyError(CodecError):
    pass


class TamperedPayloadError(CodecError):
    pass


def derive_tenant_key(master_key: bytes, tenant_id: str) -> bytes:
    """The 32-byte AES key of one tenant under one master key."""
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=HKDF_INFO_PREFIX + tenant_id.encode(),
    )
    return hkdf.derive(master_key)


def tenant_of_workflow(workflow_id: str | None) -> str | None:
    """The tenant a workflow's payloads belong to: a call's own workflows only."""
    match = _CALL_WORKFLOW_ID.fullmatch(workflow_id or "")
    return match.group(1) if match else None


def tenant_of_context(context: SerializationContext) -> str | None:
    if isinstance(context, WorkflowSerializationContext | ActivitySerializationContext):
        return tenant_of_workflow(context.workflow_id)
    return None


def key_id_tenant(key_id: str) -> str | None:
    """The tenant named by a key id, None for a master key id."""
    _master, sep, tenant_id = key_id.partition("/")
    return tenant_id if sep else None


def payload_tenant(payload: Payload) -> str | None:
    """The tenant whose key sealed an encrypted payload; None for master-key payloads."""
    return key_id_tenant(payload.metadata.get(KEY_ID_METADATA, b"").decode(errors="replace"))


def is_encrypted_payload(payload: Payload) -> bool:
    return payload.metadata.get("encoding") == ENCODING


class KeyRing:
    """Master keys plus the tenant keys derived from them, derived once and cached."""

    def __init__(self, keys: Sequence[tuple[str, bytes]]) -> None:
        if not keys:
            raise ValueError("at least one codec key is required")
        for key_id, _key in keys:
            if "/" in key_id:
                raise ValueError(f"codec key id {key_id!r} must not contain '/'")
        self.active_key_id = keys[0][0]
        self._masters = dict(keys)
        # Bounded: one entry per (master key, tenant) actually used by this process.
        self.cipher = functools.lru_cache(maxsize=4096)(self._cipher)

    def key_id_for(self, tenant_id: str | None) -> str:
        if tenant_id is None:
            return self.active_key_id
        return f"{self.active_key_id}/{tenant_id}"

    def _cipher(self, key_id: str) -> AESGCM:
        master_id, sep, tenant_id = key_id.partition("/")
        master = self._masters.get(master_id)
        if master is None or (sep and not _TENANT_ID.fullmatch(tenant_id)):
            # The id comes from the payload: echo only a bounded prefix of it.
            raise UnknownKeyError(f"payload was encrypted with unknown key id {key_id[:64]!r}")
        return AESGCM(derive_tenant_key(master, tenant_id) if sep else master)


class AesGcmCodec(PayloadCodec, WithSerializationContext):
    """Encrypts with the active key of the tenant in context; decrypts by the payload's key id."""

    def __init__(
        self, *, keys: Sequence[tuple[str, bytes]] | KeyRing, tenant_id: str | None = None
    ) -> None:
        self._ring = keys if isinstance(keys, KeyRing) else KeyRing(keys)
        if tenant_id is not None and not _TENANT_ID.fullmatch(tenant_id):
            raise ValueError(f"not a tenant id: {tenant_id!r}")
        self.tenant_id = tenant_id

    def with_context(self, context: SerializationContext) -> Self:
        # temporalio hands the client and the workers a copy per workflow/activity through
        # this; payloads without a call workflow in context keep the master key.
        tenant_id = tenant_of_context(context)
        if tenant_id == self.tenant_id:
            return self
        return type(self)(keys=self._ring, tenant_id=tenant_id)

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._encrypt(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._decrypt(p) for p in payloads]

    def _encrypt(self, payload: Payload) -> Payload:
        nonce = os.urandom(NONCE_BYTES)
        key_id = self._ring.key_id_for(self.tenant_id)
        # The key id is the associated data: relabelling a payload with another tenant's
        # (or the master) key id fails authentication, not just key lookup.
        sealed = self._ring.cipher(key_id).encrypt(
            nonce, payload.SerializeToString(), key_id.encode()
        )
        return Payload(
            metadata={"encoding": ENCODING, KEY_ID_METADATA: key_id.encode()},
            data=nonce + sealed,
        )

    def _decrypt(self, payload: Payload) -> Payload:
        if not is_encrypted_payload(payload):
            return payload
        try:
            key_id = payload.metadata.get(KEY_ID_METADATA, b"").decode()
        except UnicodeDecodeError as exc:
            raise UnknownKeyError("payload key id is not text") from exc
        cipher = self._ring.cipher(key_id)
        if len(payload.data) < NONCE_BYTES + TAG_BYTES:
            raise TamperedPayloadError("encrypted payload is too short")
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        try:
            return Payload.FromString(cipher.decrypt(nonce, sealed, key_id.encode()))
        except InvalidTag as exc:
            raise TamperedPayloadError(
                f"payload sealed with key id {key_id[:64]!r} failed authentication"
            ) from exc
        except DecodeError as exc:
            raise TamperedPayloadError("decrypted payload is not a Temporal payload") from exc


def is_encrypted(payloads: Iterable[Payload]) -> bool:
    return all(is_encrypted_payload(p) for p in payloads)
