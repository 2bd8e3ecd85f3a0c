"""Amazon Connect inputs as Connect sends them; unknown fields are kept, never rejected."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _ConnectModel(BaseModel):
    model_config = ConfigDict(extra="allow")


class AudioStream(_ConnectModel):
    StreamARN: str = Field(min_length=1)
    StartFragmentNumber: str | None = None
    StartTimestamp: str | None = None
    StopFragmentNumber: str | None = None
    StopTimestamp: str | None = None


class CustomerMedia(_ConnectModel):
    # Connect sends null here when "Start media streaming" never ran.
    Audio: AudioStream = Field(description="Set by the 'Start media streaming' block")


class MediaStreams(_ConnectModel):
    Customer: CustomerMedia


class ContactData(_ConnectModel):
    ContactId: str = Field(min_length=1)
    Channel: str
    InstanceARN: str = ""
    InitialContactId: str | None = None
    MediaStreams: MediaStreams

    @field_validator("Channel")
    @classmethod
    def _voice_only(cls, channel: str) -> str:
        if channel != "VOICE":
            raise ValueError(f"callguide handles VOICE contacts only, got {channel!r}")
        return channel


class ContactFlowDetails(_ConnectModel):
    ContactData: ContactData
    Parameters: dict[str, Any] = Field(default_factory=dict)


class ContactFlowEvent(_ConnectModel):
    """The event a contact flow's 'Invoke AWS Lambda function' block sends."""

    Name: Literal["ContactFlowEvent"]
    Details: ContactFlowDetails


class ContactEventDetail(_ConnectModel):
    eventType: str = Field(min_length=1)
    contactId: str = Field(min_length=1)
    initialContactId: str | None = None
    instanceArn: str | None = None
    channel: str | None = None
    agentInfo: dict[str, Any] | None = None


class ContactEvent(_ConnectModel):
    """An EventBridge 'Amazon Connect Contact Event'."""

    source: str | None = None
    detail_type: str | None = Field(default=None, alias="detail-type")
    time: str | None = None
    detail: ContactEventDetail

    def stored_detail(self) -> dict[str, Any]:
        """The fields worth keeping; customer endpoints and attributes may carry PII."""
        agent_arn = (self.detail.agentInfo or {}).get("agentArn")
        return {
            "eventType": self.detail.eventType,
            "contactId": self.detail.contactId,
            "initialContactId": self.detail.initialContactId,
            "instanceArn": self.detail.instanceArn,
            "channel": self.detail.channel,
            "agentArn": agent_arn,
        }


def arn_region(arn: str) -> str | None:
    parts = arn.split(":")
    return parts[3] if len(parts) > 3 and parts[0] == "arn" and parts[3] else None
