"""Amazon Connect contact records (CTRs): the fields callguide keeps, parsed and checked.

A CTR carries customer data (CustomerEndpoint is the caller's phone number; Attributes,
ContactDetails, References and Recordings hold whatever the contact flow or the caller
put there). None of it is read here: only agent, queue, timing and disconnect fields
survive parsing, each checked against the shape Connect gives it, so free text cannot
slip in through a field we keep either. A record that breaks these rules raises
InvalidContactRecord naming the field and the rule, never the value.

The fields follow the Connect admin guide's contact-record data model; new fields that
Connect adds are ignored, as the guide asks consumers to do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from storage.tenants import INSTANCE_ARN_PATTERN

# The same ids the contact-flow route accepts (api.connect_models): Connect's are UUIDs.
CONTACT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,255}$"
# Connect's enumerations (VOICE, INBOUND, CUSTOMER_DISCONNECT, ...): upper-case words.
ENUM_PATTERN = r"^[A-Z][A-Z0-9_]{0,63}$"
# Agent and queue ARNs live under the instance's ARN.
AGENT_ARN_PATTERN = (
    r"^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance/[A-Za-z0-9-]+/agent/[A-Za-z0-9-]+$"
)
QUEUE_ARN_PATTERN = (
    r"^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance/[A-Za-z0-9-]+/queue/[A-Za-z0-9-]+$"
)
# Connect user names: letters, digits and . _ - @ (up to 100 characters).
USERNAME_PATTERN = r"^[A-Za-z0-9._@-]{1,100}$"
# Queue names are set by the instance's administrators; printable, without control bytes.
QUEUE_NAME_PATTERN = r"^[^\x00-\x1f\x7f]{1,256}$"
# A day is far longer than any contact's durations; the bound only keeps junk out.
MAX_DURATION_S = 7 * 24 * 3600
# Connect keeps a contact record under 32 KB (attributes included); a record this large is
# not one, and is refused before it is parsed.
MAX_RECORD_BYTES = 256 * 1024

Seconds = Annotated[int, Field(ge=0, le=MAX_DURATION_S, strict=True)]
EnumText = Annotated[str, Field(pattern=ENUM_PATTERN)]


class InvalidContactRecord(ValueError):
    """A record the consumer skips; the message names fields and rules, never values."""


class _Strict(BaseModel):
    # Unknown fields (Connect adds new ones, and carries customer data in others) are
    # dropped; hide_input keeps values out of any validation message.
    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True, frozen=True)


class _RoutingQueue(_Strict):
    ARN: Annotated[str | None, Field(pattern=QUEUE_ARN_PATTERN)] = None
    Name: Annotated[str | None, Field(pattern=QUEUE_NAME_PATTERN)] = None
    Duration: Seconds | None = None


class _Agent(_Strict):
    ARN: Annotated[str | None, Field(pattern=AGENT_ARN_PATTERN)] = None
    Username: Annotated[str | None, Field(pattern=USERNAME_PATTERN)] = None
    ConnectedToAgentTimestamp: AwareDatetime | None = None
    AgentInteractionDuration: Seconds | None = None
    CustomerHoldDuration: Seconds | None = None
    LongestHoldDuration: Seconds | None = None
    NumberOfHolds: Annotated[int | None, Field(ge=0, le=10_000, strict=True)] = None
    AfterContactWorkDuration: Seconds | None = None


class _ContactRecordDocument(_Strict):
    ContactId: Annotated[str, Field(pattern=CONTACT_ID_PATTERN)]
    InstanceARN: Annotated[str, Field(pattern=f"^{INSTANCE_ARN_PATTERN.pattern}$")]
    LastUpdateTimestamp: AwareDatetime
    Channel: EnumText | None = None
    InitiationMethod: EnumText | None = None
    InitiationTimestamp: AwareDatetime | None = None
    ConnectedToSystemTimestamp: AwareDatetime | None = None
    DisconnectTimestamp: AwareDatetime | None = None
    DisconnectReason: EnumText | None = None
    Agent: _Agent | None = None
    Queue: _RoutingQueue | None = None


@dataclass(frozen=True)
class ContactRecord:
    """The PII-free part of one version of a contact's record."""

    contact_id: str
    instance_arn: str
    last_update: datetime
    channel: str | None = None
    initiation_method: str | None = None
    agent_arn: str | None = None
    agent_username: str | None = None
    queue_arn: str | None = None
    queue_name: str | None = None
    queue_duration_s: int | None = None
    initiation_at: datetime | None = None
    connected_to_system_at: datetime | None = None
    connected_to_agent_at: datetime | None = None
    disconnect_at: datetime | None = None
    agent_interaction_duration_s: int | None = None
    customer_hold_duration_s: int | None = None
    longest_hold_duration_s: int | None = None
    number_of_holds: int | None = None
    after_contact_work_duration_s: int | None = None
    disconnect_reason: str | None = None


def _problem(error: ValidationError) -> str:
    first = error.errors(include_input=False, include_url=False)[0]
    field = ".".join(str(part) for part in first["loc"]) or "record"
    return f"{field}: {first['msg']}"


def parse_contact_record(data: bytes) -> ContactRecord:
    """One Kinesis record's data (a CTR as JSON) as the fields callguide keeps."""
    if len(data) > MAX_RECORD_BYTES:
        raise InvalidContactRecord(f"record: larger than {MAX_RECORD_BYTES} bytes")
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InvalidContactRecord("record: not a JSON document") from None
    if not isinstance(document, dict):
        raise InvalidContactRecord("record: not a JSON object")
    try:
        ctr = _ContactRecordDocument.model_validate(document)
    except ValidationError as exc:
        raise InvalidContactRecord(_problem(exc)) from None
    agent = ctr.Agent or _Agent()
    queue = ctr.Queue or _RoutingQueue()
    return ContactRecord(
        contact_id=ctr.ContactId,
        instance_arn=ctr.InstanceARN,
        last_update=ctr.LastUpdateTimestamp,
        channel=ctr.Channel,
        initiation_method=ctr.InitiationMethod,
        agent_arn=agent.ARN,
        agent_username=agent.Username,
        queue_arn=queue.ARN,
        queue_name=queue.Name,
        queue_duration_s=queue.Duration,
        initiation_at=ctr.InitiationTimestamp,
        connected_to_system_at=ctr.ConnectedToSystemTimestamp,
        connected_to_agent_at=agent.ConnectedToAgentTimestamp,
        disconnect_at=ctr.DisconnectTimestamp,
        agent_interaction_duration_s=agent.AgentInteractionDuration,
        customer_hold_duration_s=agent.CustomerHoldDuration,
        longest_hold_duration_s=agent.LongestHoldDuration,
        number_of_holds=agent.NumberOfHolds,
        after_contact_work_duration_s=agent.AfterContactWorkDuration,
        disconnect_reason=ctr.DisconnectReason,
    )
