"""Prints a call's live events in a terminal: interim text rewritten in place, finals kept."""

from __future__ import annotations

import sys

from callguide.sse_client import ServerEvent

COLOURS = {"customer": "\033[36m", "agent": "\033[33m"}
HINT_COLOUR = "\033[32m"
DIM, RESET, CLEAR_LINE = "\033[2m", "\033[0m", "\r\033[K"


class LiveTranscriptView:
    def __init__(self, *, colour: bool | None = None) -> None:
        self._colour = sys.stdout.isatty() if colour is None else colour
        self.utterances = 0
        self.hints = 0

    def __call__(self, event: ServerEvent) -> None:
        data = event.data.get("data", {})
        if event.type == "interim" and self._colour:
            line = f"{self._label(data)}{DIM}{data['text']}{RESET}"
            print(f"{CLEAR_LINE}{line}", end="", flush=True)
        elif event.type == "utterance":
            self.utterances += 1
            clear = CLEAR_LINE if self._colour else ""
            print(f"{clear}{self._label(data)}{data['text']}", flush=True)
        elif event.type == "utterance_revised":
            # an earlier turn's redaction, retyped once the speaker finished a number
            clear = CLEAR_LINE if self._colour else ""
            print(f"{clear}{self._label(data)}(revised) {data['text']}", flush=True)
        elif event.type == "hint":
            self.hints += 1
            clear = CLEAR_LINE if self._colour else ""
            print(f"{clear}{self._hint(data)}", flush=True)
        elif event.type == "status":
            print(f"  -- call {data['status']}", flush=True)

    def _hint(self, data: dict) -> str:
        """A hint as the agent would see it beside the transcript: kind, title, body."""
        body = " ".join(str(data.get("body", "")).split())
        label = f"  {'':>9}  >> {data['type'].replace('_', ' ')}: {data['title']}"
        if self._colour:
            label = f"{HINT_COLOUR}{label}{RESET}"
        return f"{label}\n  {'':>9}     {body}" if body else label

    def _label(self, data: dict) -> str:
        speaker = data["speaker"]
        at = data["start_ms"] / 1000
        if self._colour:
            return f"  [{at:6.1f}s] {COLOURS.get(speaker, '')}{speaker:>8}{RESET}: "
        return f"  [{at:6.1f}s] {speaker:>8}: "
