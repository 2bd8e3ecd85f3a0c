"""The audio worker's line to the call's guidance child: final turns as soon as they are
assembled, and reminder phrases spotted in interim text before a turn ends.

A final turn goes to guidance beside the call's own `add_utterance` signal, stamped so
the call does not hand it over again: the hint then waits on one workflow task (the
child's) instead of three (the call's, the child's, the call's again). Guidance drops a
turn it has had already (an audio worker's retry re-sends a few).

Interim text never enters workflow history: an `early_turn` carries only the spotted
moment ids, the speaker and where the utterance started, once per moment and utterance.
Guidance decides whether the moment fires (cooldowns) and skips it when the final turn
matches it again. All of it is best effort: a policy that cannot be read, or a signal
that fails, costs hints, never the call.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from datetime import UTC, datetime

from temporalio.client import WorkflowHandle

from callguide.model import StageTiming, Utterance
from guidance.phrase_spotter import PhraseSpotter, early_moments
from storage.guidance_policies import GuidancePolicyStore
from voice.utterances import InterimText
from workflows.guidance_types import EarlyTurn, GuidanceTurn

log = logging.getLogger(__name__)
TURN_SIGNAL = "turn"
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


class GuidanceFeed:
    """One call's redacted turns in, `turn` and `early_turn` signals to its guidance out."""

    def __init__(self, *, guidance: WorkflowHandle, spotter: PhraseSpotter | None = None) -> None:
        self._guidance = guidance
        self._spotter = spotter
        self._sending: set[asyncio.Task[None]] = set()

    def stamp(self, utterance: Utterance) -> Utterance:
        """The utterance as the call gets it: marked as handed to guidance by this feed."""
        timing = utterance.timing or StageTiming()
        handed = dataclasses.replace(timing, guidance_handed_ms=int(time.time() * 1000))
        return dataclasses.replace(utterance, timing=handed)

    async def hand_over(self, utterance: Utterance) -> None:
        """Signals a redacted final turn to guidance; a failure costs its hints only."""
        turn = GuidanceTurn(
            utterance.speaker.value,
            utterance.text,
            utterance.start_ms,
            utterance.end_ms,
            datetime.now(UTC).isoformat(),
        )
        await self._signal(TURN_SIGNAL, turn)

    def offer(self, interim: InterimText) -> None:
        """Spots moments in a redacted interim and sends any new ones, without waiting."""
        if self._spotter is None:
            return
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
        task = asyncio.create_task(self._signal(EARLY_TURN_SIGNAL, EarlyTurn(turn, moment_ids)))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def settle(self) -> None:
        """Gives signals in flight a moment to be taken (the stream ended normally)."""
        if self._sending:
            await asyncio.wait(list(self._sending), timeout=SETTLE_TIMEOUT_S)

    def abandon(self) -> None:
        for task in self._sending:
            task.cancel()

    async def _signal(self, name: str, arg: GuidanceTurn | EarlyTurn) -> None:
        try:
            await self._guidance.signal(name, arg)
        except Exception as error:  # no child (any more), or Temporal busy
            log.info("guidance did not take a %s signal: %s", name, type(error).__name__)
