"""Amazon Connect inputs as Connect sends them; unknown fields are kept, never rejected.

Every declared field is constrained to what Connect really sends (ids, ARNs, decimal
strings, ISO times), so a malformed event is a 400 naming the field before anything is
started: a value that reached a workflow could otherwise fail every retry of its
activity and leave the call active forever. The constraints are in the JSON schema, so
the OpenAPI document says the same. Fields Connect adds later are accepted, but may not
carry control characters either.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

# Patterns use explicit ASCII classes: pydantic's regex engine reads \d as any Unicode digit.
# Contact ids are UUIDs in practice; demos and tests use short slugs, so any id of letters,
# digits and a few separators is allowed, kept well under Temporal's 1,000-byte id limit
# (the workflow id is "call-<tenant>-<contact id>").
CONTACT_ID_MAX = 256
CONTACT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"
ContactIdStr = Annotated[
    str,
    Field(
        min_length=1,
        max_length=CONTACT_ID_MAX,
        pattern=CONTACT_ID_PATTERN,
        description="A Connect contact id (a UUID in practice)",
        examples=["4a573372-1f28-4e26-b97b-1a2b3c4d5e6f"],
    ),
]

_PARTITION = r"arn:aws(?:-[a-z]+)*"
_REGION = r"[a-z]{2}(?:-[a-z]+)+-[0-9]"
_ACCOUNT = r"[0-9]{12}"
INSTANCE_ARN_PATTERN = (
    rf"^{_PARTITION}:connect:{_REGION}:{_ACCOUNT}:instance/[A-Za-z0-9-]{{1,100}}$"
)
# Connect's agent ARNs live under the instance: .../instance/<id>/agent/<id>.
CONNECT_ARN_PATTERN = rf"^{_PARTITION}:connect:{_REGION}:{_ACCOUNT}:instance/[A-Za-z0-9/_.-]+$"
# arn:aws:kinesisvideo:<region>:<account>:stream/<name>/<creation time in ms>
_STREAM = r"stream/[A-Za-z0-9_.-]{1,256}/[0-9]{1,20}"
STREAM_ARN_PATTERN = rf"^{_PARTITION}:kinesisvideo:{_REGION}:{_ACCOUNT}:{_STREAM}$"
InstanceArn = Annotated[str, Field(max_length=256, pattern=INSTANCE_ARN_PATTERN)]
ConnectArn = Annotated[str, Field(max_length=1024, pattern=CONNECT_ARN_PATTERN)]
StreamArn = Annotated[str, Field(max_length=1024, pattern=STREAM_ARN_PATTERN)]

# KVS fragment numbers are decimal strings of about 47 digits; 64 leaves room and keeps
# int() far from Python's 4,300-digit conversion limit.
FragmentNumber = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[0-9]+$",
        description="A KVS fragment number: a decimal string",
        examples=["91343852333181432392682062622220590765191907586"],
    ),
]

# A sane window for Connect's epoch-millisecond timestamps: a later year is a broken
# producer clock or a hostile event, and a datetime cannot hold much beyond it anyway.
EARLIEST_MS = 946_684_800_000  # 2000-01-01T00:00:00Z
LATEST_MS = 4_102_444_800_000  # 2100-01-01T00:00:00Z


def _in_window(value: str) -> str:
    if not EARLIEST_MS <= int(value) < LATEST_MS:
        raise ValueError("must be epoch milliseconds between the years 2000 and 2100")
    return value


EpochMillis = Annotated[
    str,
    Field(
        min_length=1,
        max_length=13,
        pattern=r"^[0-9]+$",
        description="Epoch milliseconds as a decimal string, between 2000 and 2100",
        examples=["1571360125131"],
    ),
    AfterValidator(_in_window),
]

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def _sane_time(value: datetime) -> datetime:
    if not EARLIEST_YEAR <= value.year < LATEST_YEAR:
        raise ValueError(f"must be a time between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    # EventBridge always sends UTC ("...Z"); a time without a zone is read as UTC too.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


EventTime = Annotated[datetime, AfterValidator(_sane_time)]

# Free text Connect sends (names, event types): printable, bounded.
Text = Annotated[str, Field(max_length=256, pattern=r"^[^\x00-\x1f\x7f]*$")]
EventType = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_]+$",
        examples=["DISCONNECTED"],
        description="INITIATED, QUEUED, CONNECTED_TO_AGENT, DISCONNECTED, ...",
    ),
]


class ConnectChannel(StrEnum):
    VOICE = "VOICE"
    CHAT = "CHAT"
    TASK = "TASK"
    EMAIL = "EMAIL"


def _control_character_at(value: Any, path: str) -> str | None:
    """The path of the first string (or key) in a JSON value holding a control character."""
    if isinstance(value, str):
        return path if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _control_character_at(str(key), f"{path}.{key!r}")
            found = found or _control_character_at(item, f"{path}.{key}")
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if found := _control_character_at(item, f"{path}.{index}"):
                return found
    return None


class _ConnectModel(BaseModel):
    model_config = ConfigDict(extra="allow")
    # Declared fields whose content is free-form JSON, checked like unknown fields.
    FREE_FORM: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _no_control_characters(cls, data: Any) -> Any:
        """Unknown fields are kept, so they are checked here; declared strings have patterns."""
        if not isinstance(data, dict):
            return data
        for key, value in data.items():
            if key in cls.model_fields and key not in cls.FREE_FORM:
                continue
            if found := _control_character_at(key, repr(key)) or _control_character_at(
                value, str(key)
            ):
                raise ValueError(f"{found} contains a control character")
        return data


class AudioStream(_ConnectModel):
    StreamARN: StreamArn
    StartFragmentNumber: FragmentNumber | None = None
    StartTimestamp: EpochMillis | None = None
    StopFragmentNumber: FragmentNumber | None = None
    StopTimestamp: EpochMillis | None = None


class CustomerMedia(_ConnectModel):
    # Connect sends null here when "Start media streaming" never ran.
    Audio: AudioStream = Field(description="Set by the 'Start media streaming' block")


class MediaStreams(_ConnectModel):
    Customer: CustomerMedia


class ContactData(_ConnectModel):
    ContactId: ContactIdStr
    Channel: ConnectChannel = Field(description="Only VOICE contacts are handled; others are a 400")
    # Pydantic does not validate defaults: a missing InstanceARN stays "", a sent one matches.
    InstanceARN: InstanceArn = ""
    InitialContactId: ContactIdStr | None = None
    MediaStreams: MediaStreams


class ContactFlowDetails(_ConnectModel):
    FREE_FORM: ClassVar[frozenset[str]] = frozenset({"Parameters"})
    ContactData: ContactData
    Parameters: dict[str, Any] = Field(default_factory=dict)


class ContactFlowEvent(_ConnectModel):
    """The event a contact flow's 'Invoke AWS Lambda function' block sends."""

    Name: Literal["ContactFlowEvent"]
    Details: ContactFlowDetails


class AgentInfo(_ConnectModel):
    agentArn: ConnectArn | None = None


class ContactEventDetail(_ConnectModel):
    eventType: EventType
    contactId: ContactIdStr
    initialContactId: ContactIdStr | None = None
    instanceArn: InstanceArn | None = None
    channel: ConnectChannel | None = None
    agentInfo: AgentInfo | None = None


class ContactEvent(_ConnectModel):
    """An EventBridge 'Amazon Connect Contact Event'."""

    source: Text | None = None
    detail_type: Text | None = Field(default=None, alias="detail-type")
    time: EventTime | None = Field(
        default=None, description="ISO-8601, between the years 2000 and 2100"
    )
    detail: ContactEventDetail

    def stored_detail(self) -> dict[str, Any]:
        """The fields worth keeping; customer endpoints and attributes may carry PII."""
        detail = self.detail
        return {
            "eventType": detail.eventType,
            "contactId": detail.contactId,
            "initialContactId": detail.initialContactId,
            "instanceArn": detail.instanceArn,
            "channel": detail.channel.value if detail.channel else None,
            "agentArn": detail.agentInfo.agentArn if detail.agentInfo else None,
        }


def arn_region(arn: str) -> str | None:
    parts = arn.split(":")
    return parts[3] if len(parts) > 3 and parts[0] == "arn" and parts[3] else None
