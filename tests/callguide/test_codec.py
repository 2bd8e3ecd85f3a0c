"""Payload encryption: AES-GCM with key ids; rotation keeps old keys readable."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag
from temporalio.api.common.v1 import Payload

from callguide.codec import ENCODING, AesGcmCodec, UnknownKeyError
from callguide.settings import Settings, new_codec_key_spec, parse_codec_keys

PLAIN = Payload(metadata={"encoding": b"json/plain"}, data=b'{"text": "card 4111"}')


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
    with pytest.raises(InvalidTag):
        await same_id_other_key.decode([sealed])


def test_malformed_keys_are_rejected_at_startup() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        Settings(codec_keys="k1:c2hvcnQ=")
    with pytest.raises(ValueError, match="key-id:base64-key"):
        Settings(codec_keys="nocolon")
