"""Each call's live event stream in Redis: bounded, idempotent for workflow events, expiring."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

# Workflow events carry a sequence number; a retried publish must not append them twice.
_PUBLISH_SEQUENCED = """
local last = tonumber(redis.call('HGET', KEYS[2], 'seq') or '0')
local added = 0
for i = 3, #ARGV, 2 do
  local seq = tonumber(ARGV[i])
  if seq > last then
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'event', ARGV[i + 1])
    last = seq
    added = added + 1
  end
end
redis.call('HSET', KEYS[2], 'seq', last)
if ARGV[2] ~= '' then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  redis.call('EXPIRE', KEYS[2], ARGV[2])
end
return added
"""


@dataclass(frozen=True)
class StreamEntry:
    id: str
    event: dict[str, Any]


def _keys(tenant_id: str, call_id: str) -> tuple[str, str]:
    # One hash tag per call keeps both keys in one Redis Cluster slot for the script.
    tag = f"{{{tenant_id}:{call_id}}}"
    return f"callguide:call:{tag}:events", f"callguide:call:{tag}:meta"


class CallEventStreams:
    def __init__(self, *, redis: Redis, maxlen: int = 5000) -> None:
        self._redis = redis
        self._maxlen = maxlen
        self._publish_sequenced = redis.register_script(_PUBLISH_SEQUENCED)

    async def publish(
        self,
        tenant_id: str,
        call_id: str,
        events: list[tuple[int, dict[str, Any]]],
        *,
        expire_after_s: int | None = None,
    ) -> int:
        """Appends (seq, event) pairs whose seq is newer than the last one appended."""
        args: list[Any] = [self._maxlen, "" if expire_after_s is None else expire_after_s]
        for seq, event in events:
            args += [seq, json.dumps(event, separators=(",", ":"))]
        added = await self._publish_sequenced(keys=list(_keys(tenant_id, call_id)), args=args)
        return int(added)

    async def publish_transient(self, tenant_id: str, call_id: str, event: dict[str, Any]) -> str:
        """Appends an event that is not a durable fact (an interim transcript, say)."""
        stream_key, _ = _keys(tenant_id, call_id)
        entry_id = await self._redis.xadd(
            stream_key,
            {"event": json.dumps(event, separators=(",", ":"))},
            maxlen=self._maxlen,
            approximate=True,
        )
        return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)

    async def read(
        self, tenant_id: str, call_id: str, *, after_id: str = "0", block_ms: int | None = None
    ) -> list[StreamEntry]:
        stream_key, _ = _keys(tenant_id, call_id)
        reply: Any = await self._redis.xread({stream_key: after_id}, count=500, block=block_ms)
        entries = []
        for _key, items in reply or []:
            for entry_id, fields in items:
                raw = fields.get(b"event") or fields.get("event")
                entries.append(StreamEntry(_text(entry_id), json.loads(raw)))
        return entries

    async def ttl(self, tenant_id: str, call_id: str) -> int:
        stream_key, _ = _keys(tenant_id, call_id)
        return int(await self._redis.ttl(stream_key))

    async def length(self, tenant_id: str, call_id: str) -> int:
        stream_key, _ = _keys(tenant_id, call_id)
        return int(await self._redis.xlen(stream_key))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
