"""Amazon Connect inputs as Connect sends them; unknown fields are kept, never rejected.

Every declared field is constrained to what Connect really sends (ids, ARNs, decimal
strings, ISO times), so a malformed event is a 400 naming the field before anything is
started: a value that reached a workflow could otherwise fail every retry of its
activity and leave the call active forever. The constraints are in the JSON schema, so
the OpenAPI document says the same. Fields Connect adds later are accepted, but may not
carry control characters either.
"""

from __future__ import annotations

import re
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

# A sane window for Connect's epoch-millisecond timestamps, written as a pattern so the
# OpenAPI document carries it: 950000000000 (February 2000) to 4099999999999 (December
# 2099). Anything else is a broken producer clock or a hostile event, and far beyond it a
# datetime cannot hold the value at all.
EPOCH_MS_PATTERN = r"^(?:9[5-9][0-9]{10}|[1-3][0-9]{12}|40[0-9]{11})$"
EpochMillis = Annotated[
    str,
    Field(
        min_length=12,
        max_length=13,
        pattern=EPOCH_MS_PATTERN,
        description="Epoch milliseconds as a decimal string, between 2000 and 2100",
        examples=["1571360125131"],
    ),
]

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def _sane_time(value: datetime) -> datetime:
    if not EARLIEST_YEAR <= value.year < LATEST_YEAR:
        raise ValueError(f"must be a time between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    # EventBridge always sends UTC ("...Z"); a time without a zone is read as UTC too.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


EventTime = Annotated[
    datetime,
    AfterValidator(_sane_time),
    # Validation is the AfterValidator's; the pattern tells clients the same.
    Field(json_schema_extra={"pattern": r"^20[0-9]{2}-"}),
]

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


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _shown(key: str) -> str:
    """A field name fit for an error message: control characters masked, length bounded."""
    return _CONTROL.sub("?", key[:64]) + ("..." if len(key) > 64 else "")


def _control_character_at(value: Any, path: str) -> str | None:
    """The path of the first string (or field name) in a JSON value holding a control
    character."""
    if isinstance(value, str):
        return path if _CONTROL.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{_shown(str(key))}"
            if _CONTROL.search(str(key)):
                return f"the name of {here}"
            if found := _control_character_at(item, here):
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if found := _control_character_at(item, f"{path}.{index}"):
                return found
    return None


# What the document says of the fields Connect may add: any JSON, with strings and field
# names free of control characters (checked at every depth; the schema says it for the
# first level only, as JSON Schema cannot say it recursively without a named schema).
_EXTRA_FIELD_SCHEMA: dict[str, Any] = {
    "description": "Fields Connect adds are accepted; no control characters anywhere",
    "anyOf": [
        {"type": "string", "pattern": r"^[^\x00-\x1f\x7f]*$"},
        {"type": ["number", "boolean", "null"]},
        {"type": "array"},
        {"type": "object"},
    ],
}


def _extra_fields_schema(schema: dict[str, Any]) -> None:
    schema["additionalProperties"] = _EXTRA_FIELD_SCHEMA
    schema["propertyNames"] = {"pattern": r"^[^\x00-\x1f\x7f]*$"}


class _ConnectModel(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra=_extra_fields_schema)
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
            if _CONTROL.search(str(key)):
                raise ValueError(f"the field name {_shown(str(key))!r} has a control character")
            if found := _control_character_at(value, _shown(str(key))):
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
