"""Objects in S3 (or any S3-compatible server) through aioboto3: the redacted call audio.

The adapter knows nothing of Temporal. Open it once per process and share it:

    async with ObjectStore(bucket="callguide-redacted-audio") as store:
        await store.put(key, data, content_type="audio/wav", metadata={"call-id": call_id})

Every put asks for server-side encryption (SSE-S3 "AES256" by default, or SSE-KMS with the
given key), and copies made by `move` ask for it again, so no object is stored in clear.

Object metadata is stored unencrypted beside the object and shows in listings, logs and
consoles: it must never hold PII. Put ids, versions, counts and types there, never text
from a call. Keys follow the same rule: no names, numbers or addresses in a key.

Failures a retry may fix (endpoint unreachable, timeouts, throttling, server errors) raise
ObjectStoreError; botocore has already retried them a few times with backoff by then. A
missing key raises ObjectNotFoundError, a subclass with `retryable = False`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal

import aioboto3
import aiohttp
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

# A connection to S3 is made in well under a second; longer means the endpoint is down.
CONNECT_TIMEOUT_S = 3.0
# A read may wait for a large object's next bytes, but never minutes: the caller retries.
READ_TIMEOUT_S = 30.0
# Total attempts per request (botocore's "standard" retry mode backs off with jitter, at most
# a few seconds here), so a caller hears of an outage in seconds and applies its own backoff.
MAX_ATTEMPTS = 3
# S3 limits user metadata to 2 KB per object (keys and values, as UTF-8).
MAX_METADATA_BYTES = 2048
# Error codes meaning the key is not there.
_NOT_FOUND = {"NoSuchKey", "404", "NotFound"}

ServerSideEncryption = Literal["AES256", "aws:kms"]


class ObjectStoreError(RuntimeError):
    """S3 failed in a way a later retry may fix; `code` is S3's error code when it sent one."""

    retryable = True

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class ObjectNotFoundError(ObjectStoreError, LookupError):
    """The key does not exist: retrying will not make it appear."""

    retryable = False


@dataclass(frozen=True)
class ObjectInfo:
    """What S3 reports about a stored object (head_object), none of it PII."""

    key: str
    size: int
    content_type: str | None
    metadata: dict[str, str] = field(default_factory=dict)
    server_side_encryption: str | None = None
    kms_key_id: str | None = None


class ObjectStore:
    """One bucket of one S3 endpoint; real S3 when endpoint_url is None.

    Credentials come from the usual AWS chain (environment, profile, instance or pod role).
    """

    def __init__(
        self,
        *,
        bucket: str,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        sse: ServerSideEncryption = "AES256",
        kms_key_id: str | None = None,
        connect_timeout_s: float = CONNECT_TIMEOUT_S,
        read_timeout_s: float = READ_TIMEOUT_S,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        if sse not in ("AES256", "aws:kms"):
            raise ValueError(f"sse must be 'AES256' or 'aws:kms', got {sse!r}")
        if kms_key_id and sse != "aws:kms":
            raise ValueError("kms_key_id is only used with sse='aws:kms'")
        self.bucket = bucket
        self.endpoint_url = endpoint_url
        self.region = region
        self._encryption: dict[str, str] = {"ServerSideEncryption": sse}
        if kms_key_id:
            self._encryption["SSEKMSKeyId"] = kms_key_id
        self._config = Config(
            connect_timeout=connect_timeout_s,
            read_timeout=read_timeout_s,
            retries={"max_attempts": max_attempts, "mode": "standard"},
            # A local server answers on one host name; real S3 uses virtual-hosted buckets.
            s3={"addressing_style": "path" if endpoint_url else "auto"},
        )
        self._stack: contextlib.AsyncExitStack | None = None
        self._client: Any = None

    async def __aenter__(self) -> ObjectStore:
        if self._client is not None:
            raise RuntimeError("this ObjectStore is already open")
        stack = contextlib.AsyncExitStack()
        session = aioboto3.Session()
        self._client = await stack.enter_async_context(
            session.client(
                "s3",
                endpoint_url=self.endpoint_url,
                region_name=self.region,
                config=self._config,
            )
        )
        self._stack = stack
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        stack, self._stack, self._client = self._stack, None, None
        if stack is not None:
            await stack.aclose()

    @property
    def client(self) -> Any:
        if self._client is None:
            raise RuntimeError("open the ObjectStore first: `async with store:`")
        return self._client

    async def ensure_bucket(self) -> None:
        """Creates the bucket when it does not exist (the dev stack's and tests' server)."""
        with _errors("checking the bucket", self.bucket):
            try:
                await self.client.head_bucket(Bucket=self.bucket)
                return
            except ClientError as error:
                if _code(error) not in ("404", "NoSuchBucket", "NotFound"):
                    raise
            arguments: dict[str, Any] = {"Bucket": self.bucket}
            if self.region != "us-east-1":
                arguments["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
            try:
                await self.client.create_bucket(**arguments)
            except ClientError as error:
                if _code(error) not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise

    async def put(
        self, key: str, data: bytes, *, content_type: str, metadata: Mapping[str, str]
    ) -> None:
        """Stores data under key, encrypted at rest. Metadata must never hold PII."""
        _check_metadata(metadata)
        with _errors("storing", key):
            await self.client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=data,
                ContentType=content_type,
                Metadata=dict(metadata),
                **self._encryption,
            )

    async def get(self, key: str) -> bytes:
        with _errors("reading", key):
            response = await self.client.get_object(Bucket=self.bucket, Key=key)
            async with response["Body"] as body:
                data: bytes = await body.read()
                return data

    async def head(self, key: str) -> ObjectInfo:
        with _errors("reading the metadata of", key):
            response = await self.client.head_object(Bucket=self.bucket, Key=key)
        return ObjectInfo(
            key=key,
            size=int(response.get("ContentLength", 0)),
            content_type=response.get("ContentType"),
            metadata=dict(response.get("Metadata", {})),
            server_side_encryption=response.get("ServerSideEncryption"),
            kms_key_id=response.get("SSEKMSKeyId"),
        )

    async def exists(self, key: str) -> bool:
        try:
            await self.head(key)
        except ObjectNotFoundError:
            return False
        return True

    async def move(self, key: str, new_key: str) -> None:
        """Copies key to new_key (content type, metadata and encryption kept), then deletes key.

        Safe to repeat: when key is gone and new_key exists, an earlier attempt already moved
        it. Objects over 5 GB (S3's single-copy limit) are not supported; a call's stereo WAV
        is about 115 MB an hour.
        """
        if key == new_key:
            raise ValueError("move needs two different keys")
        try:
            with _errors("copying", key):
                await self.client.copy_object(
                    Bucket=self.bucket,
                    Key=new_key,
                    CopySource={"Bucket": self.bucket, "Key": key},
                    MetadataDirective="COPY",
                    **self._encryption,
                )
        except ObjectNotFoundError:
            if await self.exists(new_key):
                return
            raise
        await self.delete(key)

    async def delete(self, key: str) -> None:
        """Deletes key; deleting a key that does not exist is not an error."""
        with _errors("deleting", key):
            await self.client.delete_object(Bucket=self.bucket, Key=key)


def _check_metadata(metadata: Mapping[str, str]) -> None:
    size = 0
    for name, value in metadata.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError("object metadata keys and values must be strings")
        if not name.isascii() or not value.isascii():
            raise ValueError(f"object metadata must be ASCII (key {name!r})")
        size += len(name) + len(value)
    if size > MAX_METADATA_BYTES:
        raise ValueError(f"object metadata is {size} bytes, over S3's {MAX_METADATA_BYTES}")


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


@contextlib.contextmanager
def _errors(action: str, key: str) -> Iterator[None]:
    """botocore's and the transport's errors as ObjectStoreError (messages name no data)."""
    try:
        yield
    except ClientError as error:
        code = _code(error)
        if code in _NOT_FOUND:
            raise ObjectNotFoundError(f"{action} {key!r}: no such object", code=code) from error
        message = error.response.get("Error", {}).get("Message") or code
        raise ObjectStoreError(f"{action} {key!r} failed: {message}", code=code) from error
    except (BotoCoreError, aiohttp.ClientError, OSError, TimeoutError) as error:
        raise ObjectStoreError(f"{action} {key!r} failed: {error}") from error
