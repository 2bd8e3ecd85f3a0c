"""The terminal view of a call's live events: finals kept, a revised turn printed again."""

from __future__ import annotations

import pytest

from callguide.live_view import LiveTranscriptView
from callguide.sse_client import ServerEvent


def _event(kind: str, text: str, start_ms: int) -> ServerEvent:
    data = {"speaker": "customer", "start_ms": start_ms, "text": text}
    return ServerEvent(id=str(start_ms), type=kind, data={"type": kind, "data": data})


def test_a_revised_turn_is_printed_again_marked(capsys: pytest.CaptureFixture[str]) -> None:
    view = LiveTranscriptView(colour=False)
    view(_event("utterance", "okay it's [PIN]", 3200))
    view(_event("utterance", "and [CREDIT_CARD]", 6100))
    view(_event("utterance_revised", "okay it's [CREDIT_CARD]", 3200))
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "  [   3.2s] customer: okay it's [PIN]",
        "  [   6.1s] customer: and [CREDIT_CARD]",
        "  [   3.2s] customer: (revised) okay it's [CREDIT_CARD]",
    ]
    assert view.utterances == 2  # a revision is no new turn
