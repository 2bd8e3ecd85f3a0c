"""Hints before a turn ends: the audio worker spots reminder phrases in redacted interim
text and hands them to the call's guidance child as a small `early_turn` signal.

Interim text never enters workflow history: the event carries only the spotted moment
ids, the speaker and where the utterance started, once per moment and utterance. Guidance
decides whether the moment fires (cooldowns) and skips it when the final turn matches it
again. All of it is best effort: a policy that cannot be read, or a signal that fails,
costs an early hint, never the call.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from temporalio.client import WorkflowHandle

from guidance.phrase_spotter import PhraseSpotter, early_moments
from storage.guidance_policies import GuidancePolicyStore
from voice.utterances import InterimText
from workflows.guidance_types import EarlyTurn, GuidanceTurn

log = logging.getLogger(__name__)
EARLY_TURN_SIGNAL = "early_turn"
# Signals still in flight when the stream ends get this long to be taken.
SETTLE_TIMEOUT_S = 2.0


class EarlyPhrases:
    """Reads a tenant's guidance policy when a call's stream starts."""

    def __init__(self, *, policies: GuidancePolicyStore) -> None:
        self._policies = policies

    async def spotter(self, tenant_id: str) -> PhraseSpotter | None:
        """A spotter for one call, or None when the policy has no phrase reminders."""
        try:
            stored = await self._policies.current(tenant_id)
        except Exception as error:  # PostgreSQL down: guidance waits for final turns
            log.warning("no early hints for this call: %s", type(error).__name__)
            return None
        if not early_moments(stored.policy.moments):
            return None
        return PhraseSpotter(stored.policy.moments)


class EarlySender:
    """One call's interims in, `early_turn` signals to its guidance child out."""

    def __init__(self, *, spotter: PhraseSpotter, guidance: WorkflowHandle) -> None:
        self._spotter = spotter
        self._guidance = guidance
        self._sending: set[asyncio.Task[None]] = set()

    def offer(self, interim: InterimText) -> None:
        """Spots moments in a redacted interim and sends any new ones, without waiting."""
        speaker = interim.speaker.value
        moment_ids = self._spotter.spot(speaker, interim.text, interim.start_ms)
        if not moment_ids:
            return
        # No text: interim text never enters workflow history, only which moments it said.
        turn = GuidanceTurn(
            speaker,
            "",
            interim.start_ms,
            interim.start_ms,
            datetime.now(UTC).isoformat(),
        )
        task = asyncio.create_task(self._send(EarlyTurn(turn, moment_ids)))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def settle(self) -> None:
        """Gives signals in flight a moment to be taken (the stream ended normally)."""
        if self._sending:
            await asyncio.wait(list(self._sending), timeout=SETTLE_TIMEOUT_S)

    def abandon(self) -> None:
        for task in self._sending:
            task.cancel()

    async def _send(self, early: EarlyTurn) -> None:
        try:
            await self._guidance.signal(EARLY_TURN_SIGNAL, early)
        except Exception as error:  # no child (yet), or Temporal busy: the final turn will do
            log.info("an early hint was not handed over: %s", type(error).__name__)
