"""ObjectStore against a real S3-compatible server (moto, from the session's `s3` fixture)."""

from __future__ import annotations

import asyncio
import socket
import time
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from callguide.devstack import free_port
from storage.object_store import ObjectNotFoundError, ObjectStore, ObjectStoreError

WAV = b"RIFF" + bytes(range(256)) * 64


@pytest_asyncio.fixture(loop_scope="session")
async def store(s3: str) -> AsyncIterator[ObjectStore]:
    async with ObjectStore(bucket=f"test-{uuid.uuid4().hex[:12]}", endpoint_url=s3) as opened:
        await opened.ensure_bucket()
        yield opened


def key() -> str:
    return f"tenant-a/call-{uuid.uuid4().hex[:8]}.wav"


async def test_put_get_and_encryption_at_rest(store: ObjectStore) -> None:
    name = key()
    metadata = {"policy-version": "3", "spans": "4"}
    await store.put(name, WAV, content_type="audio/wav", metadata=metadata)

    assert await store.get(name) == WAV
    assert await store.exists(name)
    info = await store.head(name)
    assert info.size == len(WAV) and info.content_type == "audio/wav"
    assert info.metadata == metadata
    assert info.server_side_encryption == "AES256"
    # The server's own record agrees: head_object returns the SSE header it stored.
    raw = await store.client.head_object(Bucket=store.bucket, Key=name)
    assert raw["ServerSideEncryption"] == "AES256"


async def test_kms_encryption_is_requested_with_its_key(s3: str) -> None:
    bucket = f"test-{uuid.uuid4().hex[:12]}"
    kms_key = "arn:aws:kms:us-east-1:123456789012:key/callguide-test"
    async with ObjectStore(
        bucket=bucket, endpoint_url=s3, sse="aws:kms", kms_key_id=kms_key
    ) as kms_store:
        await kms_store.ensure_bucket()
        name = key()
        await kms_store.put(name, WAV, content_type="audio/wav", metadata={})
        info = await kms_store.head(name)
        assert info.server_side_encryption == "aws:kms" and info.kms_key_id == kms_key
        await kms_store.move(name, f"quarantine/{name}")
        moved = await kms_store.head(f"quarantine/{name}")
        assert moved.server_side_encryption == "aws:kms" and moved.kms_key_id == kms_key


async def test_move_quarantines_and_can_be_repeated(store: ObjectStore) -> None:
    name, target = key(), f"quarantine/{key()}"
    await store.put(name, WAV, content_type="audio/wav", metadata={"reason-count": "1"})

    await store.move(name, target)
    assert not await store.exists(name)
    assert await store.get(target) == WAV
    info = await store.head(target)
    assert info.content_type == "audio/wav" and info.metadata == {"reason-count": "1"}
    assert info.server_side_encryption == "AES256"
    # A retried move whose first attempt finished is a no-op.
    await store.move(name, target)
    assert await store.get(target) == WAV


async def test_missing_keys(store: ObjectStore) -> None:
    name = key()
    assert not await store.exists(name)
    with pytest.raises(ObjectNotFoundError) as raised:
        await store.get(name)
    assert isinstance(raised.value, ObjectStoreError) and not raised.value.retryable
    with pytest.raises(ObjectNotFoundError):
        await store.head(name)
    with pytest.raises(ObjectNotFoundError):
        await store.move(name, f"quarantine/{name}")
    await store.delete(name)  # deleting what is not there is fine


async def test_delete_and_overwrite(store: ObjectStore) -> None:
    name = key()
    await store.put(name, b"first", content_type="audio/wav", metadata={})
    await store.put(name, WAV, content_type="audio/wav", metadata={})
    assert await store.get(name) == WAV
    await store.delete(name)
    assert not await store.exists(name)


async def test_ensure_bucket_is_idempotent(s3: str) -> None:
    bucket = f"test-{uuid.uuid4().hex[:12]}"
    async with ObjectStore(bucket=bucket, endpoint_url=s3, region="eu-west-1") as regional:
        await regional.ensure_bucket()
        await regional.ensure_bucket()
        await regional.put("k", b"x", content_type="application/octet-stream", metadata={})
        assert await regional.get("k") == b"x"


async def test_a_missing_bucket_is_a_store_error(s3: str) -> None:
    async with ObjectStore(bucket=f"missing-{uuid.uuid4().hex[:8]}", endpoint_url=s3) as store:
        with pytest.raises(ObjectStoreError) as raised:
            await store.put("k", b"x", content_type="audio/wav", metadata={})
        assert raised.value.code == "NoSuchBucket" and raised.value.retryable


async def test_metadata_is_checked_before_anything_is_sent(store: ObjectStore) -> None:
    with pytest.raises(ValueError, match="ASCII"):
        await store.put(key(), WAV, content_type="audio/wav", metadata={"name": "Zoë"})
    with pytest.raises(ValueError, match="2048"):
        await store.put(key(), WAV, content_type="audio/wav", metadata={"x": "y" * 3000})


async def test_an_unreachable_endpoint_fails_fast() -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    async with ObjectStore(bucket="b", endpoint_url=closed) as store:
        started = time.monotonic()
        with pytest.raises(ObjectStoreError) as raised:
            await store.put("k", b"x", content_type="audio/wav", metadata={})
        assert time.monotonic() - started < 10
        assert raised.value.retryable
        with pytest.raises(ObjectStoreError):
            await store.exists("k")


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers: only a read timeout ends a request."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


async def test_a_server_that_never_answers_times_out(silent_server: str) -> None:
    async with ObjectStore(
        bucket="b", endpoint_url=silent_server, read_timeout_s=0.5, max_attempts=2
    ) as store:
        started = time.monotonic()
        with pytest.raises(ObjectStoreError):
            await asyncio.wait_for(store.get("k"), timeout=20)
        assert time.monotonic() - started < 10


async def test_the_store_must_be_opened() -> None:
    store = ObjectStore(bucket="b", endpoint_url="http://127.0.0.1:9")
    with pytest.raises(RuntimeError, match="open"):
        await store.get("k")
    with pytest.raises(ValueError):
        ObjectStore(bucket="b", kms_key_id="arn:aws:kms:us-east-1:1:key/x")
