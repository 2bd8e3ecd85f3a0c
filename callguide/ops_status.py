"""What ops reports about a call: its status and stage, an outcome, and when its live
audio counts as stuck. Plain data and one rule, shared by the API, the CLI and `CallOps`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from temporalio.api.enums.v1 import PendingActivityState
from temporalio.api.workflow.v1 import PendingActivityInfo
from temporalio.client import WorkflowExecutionDescription

from workflows.call_types import STREAM_CALL_AUDIO

# Ids are embedded in visibility queries: only plain id characters ever get there.
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")


class OpsStatus(StrEnum):
    ACTIVE = "active"
    STUCK = "stuck"
    FAILED = "failed"


class Stage(StrEnum):
    CALL = "call"
    AUDIO = "audio"
    REDACTION = "redaction"


class OpsError(Exception):
    """An ops request that cannot be done: 404 (no such call) or 409 (why not)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class OpsCall:
    tenant_id: str
    call_id: str
    status: OpsStatus
    stage: Stage
    workflow_id: str
    started_at: datetime | None
    # PII-free by construction: our own failure reasons name streams, stages and counts.
    reason: str | None = None


@dataclass(frozen=True)
class OpsOutcome:
    call_id: str
    action: str
    workflow_id: str
    detail: str


@dataclass(frozen=True)
class StuckRules:
    """When a call counts as stuck, and how long its audio can be read again (settings
    ops_audio_stuck_after_s, ops_post_call_budget_s and kvs_retention_hours say why)."""

    audio_silent_for: timedelta
    post_call_budget: timedelta
    kvs_retention: timedelta


def check_id(value: str, field: str) -> str:
    if not _ID.fullmatch(value):
        raise OpsError(400, f"{field}: not a valid id")
    return value


def stream_activity(description: WorkflowExecutionDescription) -> PendingActivityInfo | None:
    for pending in description.raw_description.pending_activities:
        if pending.activity_type.name == STREAM_CALL_AUDIO:
            return pending
    return None


def audio_stall(
    description: WorkflowExecutionDescription, now: datetime, silent_for: timedelta
) -> str | None:
    """Why a running call's audio counts as stuck, or None while it is flowing.

    The audio activity heartbeats only when its pipeline made progress (activities.audio),
    so its last heartbeat is when audio last moved; an attempt that never started, or
    that is waiting to be retried, has moved nothing since it was scheduled or failed.
    """
    pending = stream_activity(description)
    if pending is None:
        return None  # the stream finished: the call is ending on its own
    marks = [description.start_time or now]
    for stamp in (pending.last_heartbeat_time, pending.last_started_time):
        if stamp.seconds:
            marks.append(stamp.ToDatetime(tzinfo=UTC))
    quiet = now - max(marks)
    if quiet < silent_for:
        return None
    detail = f"no audio for {int(quiet.total_seconds())} s"
    if pending.state == PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED:
        detail += f", audio stream waiting to start (attempt {pending.attempt})"
    if pending.last_failure.message:
        detail += f"; last failure: {pending.last_failure.message[:200]}"
    return detail
