"""Live text redaction where utterances are assembled: in the audio worker, before any
final or interim text is signalled, published, stored or logged.

One ``PiiDetector`` serves every call of a worker, in a child process of its own: a
detection is a few milliseconds of Python (spaCy, our recognisers) holding the GIL, and
at hundreds of calls per worker that would starve the event loop that streams their
audio. The per-call state (each speaker's recent lines, the other party's question)
stays here, in one thread that hands each line to the child and waits. Each call gets a
``CallRedaction`` with its tenant's policy and its own conversation context.

Failing safe: if the tenant's policy cannot be read, the default policy (every entity
type) applies; if detection itself fails, the whole text is withheld and the whole
utterance is marked as PII, so audio redaction beeps all of it.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import TypeVar

from callguide.model import PiiSpan, Utterance, Word
from redaction.detector import Detector, PiiDetector
from redaction.live import LiveFinal, LiveRedaction, keep_original
from redaction.model import Finding
from redaction.policy import DEFAULT_POLICY, RedactionPolicy
from storage.redactions import RedactionPolicyStore
from voice.utterances import InterimText

log = logging.getLogger(__name__)

# A tenant's policy changes rarely; a call re-reads it at most this often per worker.
POLICY_CACHE_S = 30.0
# A policy read must not hold a call's first utterance up for long: past this, the
# default policy (which redacts every type) applies to this call.
POLICY_READ_TIMEOUT_S = 2.0
WITHHELD_TEXT = "[REDACTED]"
WITHHELD_TYPE = "UNDETECTED"
HASH_SALT_CONTEXT = b"callguide-redaction-hash/"
T = TypeVar("T")


def tenant_hash_salt(master_key: bytes | None, tenant_id: str) -> bytes:
    """A secret per tenant, so a hashed card number cannot be found by hashing every card."""
    if not master_key:
        return b""
    return hmac.new(master_key, HASH_SALT_CONTEXT + tenant_id.encode(), hashlib.sha256).digest()


def withheld(utterance: Utterance) -> Utterance:
    """An utterance whose redaction failed: no text, and all of its audio marked as PII."""
    return replace(
        utterance,
        text=WITHHELD_TEXT,
        words=[Word(WITHHELD_TEXT, w.start_ms, w.end_ms, w.confidence) for w in utterance.words],
        pii=[PiiSpan(WITHHELD_TYPE, utterance.start_ms, utterance.end_ms)],
    )


_child_detector: PiiDetector | None = None


def _exit_with_parent() -> None:
    """Ends this child process when the worker that started it dies.

    A pool's child waits on a queue whose write end it holds itself, so a worker killed
    outright (SIGKILL, out of memory) would leave it behind, idle, with a loaded spaCy
    model (about 200 MB), for good. The parent sentinel becomes ready when the parent
    is gone."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _load_child_detector() -> None:
    global _child_detector
    _exit_with_parent()
    _child_detector = PiiDetector()


def _detect_in_child(
    text: str,
    policy: RedactionPolicy,
    before: list[str],
    after: list[str],
    prompt: str,
    prompt_between: bool,
    speaker: str,
) -> list[Finding]:
    assert _child_detector is not None, "the pool's initializer loads it"
    return _child_detector.detect(
        text,
        policy=policy,
        before=before,
        after=after,
        prompt=prompt,
        prompt_between=prompt_between,
        speaker=speaker,
    )


class ChildProcessDetector:
    """A `Detector` whose work runs in one child process (started fresh, not forked from
    a process full of threads). A call blocks its thread until the child answers."""

    def __init__(self) -> None:
        self._pool = self._start()

    @staticmethod
    def _start() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_load_child_detector,
        )

    def detect(
        self,
        text: str,
        *,
        policy: RedactionPolicy = DEFAULT_POLICY,
        before: Sequence[str] = (),
        after: Sequence[str] = (),
        prompt: str = "",
        prompt_between: bool = True,
        speaker: str = "",
    ) -> list[Finding]:
        args = (text, policy, list(before), list(after), prompt, prompt_between, speaker)
        try:
            return self._pool.submit(_detect_in_child, *args).result()
        except BrokenProcessPool:
            # The child died (killed, out of memory): start another and ask it once; if
            # that fails too, the caller withholds the text.
            log.warning("the PII detector process died; starting another")
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._start()
            return self._pool.submit(_detect_in_child, *args).result()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class CallRedaction:
    """One call's live redaction: its tenant's policy and each speaker's recent lines."""

    def __init__(self, *, live: LiveRedaction, executor: ThreadPoolExecutor, call_id: str):
        self._live = live
        self._executor = executor
        self._call_id = call_id
        self.failures = 0

    async def _run(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    async def final(self, utterance: Utterance) -> LiveFinal:
        try:
            return await self._run(lambda: self._live.final(utterance))
        except Exception as error:  # a detector bug must not leak the text: withhold it
            self.failures += 1
            log.error(
                "call %s: redaction failed (%s); utterance withheld",
                self._call_id,
                type(error).__name__,
            )
            return LiveFinal(keep_original(withheld(utterance), utterance.text, self._live.policy))

    async def interim(self, interim: InterimText) -> InterimText:
        try:
            text = await self._run(lambda: self._live.interim(interim.speaker.value, interim.text))
        except Exception as error:
            self.failures += 1
            log.error("call %s: interim redaction failed (%s)", self._call_id, type(error).__name__)
            text = WITHHELD_TEXT
        return replace(interim, text=text)


class LiveRedactor:
    """The audio worker's redaction service: one detector, tenants' policies, per-call state."""

    def __init__(
        self,
        *,
        policies: RedactionPolicyStore | None,
        master_key: bytes | None,
        detector_factory: Callable[[], Detector] = ChildProcessDetector,
    ) -> None:
        self._policies = policies
        self._master_key = master_key
        self._detector_factory = detector_factory
        self._detector: Detector | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pii-detector")
        self._cache: dict[str, tuple[float, RedactionPolicy]] = {}

    async def warm(self) -> None:
        """Loads the detector before the first call needs it (it takes a second or two)."""
        detector = await self._detector_ready()
        await asyncio.get_running_loop().run_in_executor(
            self._executor, lambda: detector.detect("warming up", policy=DEFAULT_POLICY)
        )

    async def _detector_ready(self) -> Detector:
        if self._detector is None:
            loop = asyncio.get_running_loop()
            detector = await loop.run_in_executor(self._executor, self._detector_factory)
            self._detector = self._detector or detector
        return self._detector

    async def policy(self, tenant_id: str) -> RedactionPolicy:
        cached = self._cache.get(tenant_id)
        if cached and time.monotonic() - cached[0] < POLICY_CACHE_S:
            return cached[1]
        policy = DEFAULT_POLICY
        if self._policies is not None:
            try:
                async with asyncio.timeout(POLICY_READ_TIMEOUT_S):
                    stored = await self._policies.current(tenant_id)
                policy = stored.policy if stored else DEFAULT_POLICY
            except Exception as error:  # the strictest policy, not none, while the store is out
                log.warning(
                    "tenant %s: redaction policy unreadable (%r); default applies", tenant_id, error
                )
                return cached[1] if cached else DEFAULT_POLICY
        self._cache[tenant_id] = (time.monotonic(), policy)
        return policy

    async def for_call(self, tenant_id: str, call_id: str) -> CallRedaction:
        detector = await self._detector_ready()
        live = LiveRedaction(
            detector=detector,
            policy=await self.policy(tenant_id),
            salt=tenant_hash_salt(self._master_key, tenant_id),
        )
        return CallRedaction(live=live, executor=self._executor, call_id=call_id)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        if isinstance(self._detector, ChildProcessDetector):
            self._detector.close()
