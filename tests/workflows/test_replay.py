"""Recorded histories of real calls replay against today's CallWorkflow and
GuidanceWorkflow.

A change that would make a running call take a different path on replay (reordered
commands, a new activity or timer without versioning) fails here instead of wedging calls
in production. The histories are made by `python -m tests.workflows.record_histories`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from workflows.call import CallWorkflow
from workflows.guidance import GuidanceWorkflow

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))
RECORDS = {path.name: json.loads(path.read_text()) for path in HISTORIES}


def test_histories_cover_the_call_paths_worth_guarding() -> None:
    names = {path.name.split(".")[0] for path in HISTORIES}
    assert {"signalled", "idle_end", "postgres_outage", "voice_handover"} <= names
    # A call with real-time guidance, and its guidance child's own history.
    assert {"guided_call", "guided_guidance"} <= names
    # The same, its turns handed to guidance by the audio worker; guidance shows its hints.
    assert {"fed_call", "fed_guidance"} <= names
    assert any(path.name.startswith("voice_handover.run3") for path in HISTORIES)
    # A call ended while its stream was catching up, drained past the idle limit.
    assert "drain_catch_up" in names


@pytest.mark.parametrize("name", sorted(RECORDS))
async def test_recorded_call_replays_deterministically(name: str) -> None:
    record = RECORDS[name]
    history = WorkflowHistory.from_json(record["workflow_id"], record["history"])
    result = await Replayer(workflows=[CallWorkflow, GuidanceWorkflow]).replay_workflow(
        history, raise_on_replay_failure=False
    )
    assert result.replay_failure is None, f"{name}: {result.replay_failure}"
