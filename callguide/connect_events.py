"""Builds events shaped exactly like the ones Amazon Connect sends (for demos and drills)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

DEMO_INSTANCE_ARN = "arn:aws:connect:us-east-1:111122223333:instance/5f1c0c8e-demo-4e2b-9a57"


def demo_stream_arn(contact_id: str, alias: str = "callguide") -> str:
    """A stream ARN as Connect names it, in the demo instance's account and region, for
    calls whose audio is never read (benchmarks of the event path)."""
    return (
        f"arn:aws:kinesisvideo:us-east-1:111122223333:stream/connect-{alias}-contact-{contact_id}/1"
    )


def contact_flow_event(
    *,
    contact_id: str,
    stream_arn: str,
    start_fragment_number: str | None = None,
    start_timestamp_ms: int | None = None,
    instance_arn: str = DEMO_INSTANCE_ARN,
) -> dict[str, Any]:
    """What 'Invoke AWS Lambda function' sends after 'Start media streaming'."""
    start_ms = start_timestamp_ms if start_timestamp_ms is not None else int(time.time() * 1000)
    audio: dict[str, Any] = {"StreamARN": stream_arn, "StartTimestamp": str(start_ms)}
    if start_fragment_number is not None:
        audio["StartFragmentNumber"] = start_fragment_number
    return {
        "Name": "ContactFlowEvent",
        "Details": {
            "ContactData": {
                "Attributes": {},
                "Channel": "VOICE",
                "ContactId": contact_id,
                "InitialContactId": contact_id,
                "PreviousContactId": contact_id,
                "CustomerEndpoint": {"Address": "+15550100100", "Type": "TELEPHONE_NUMBER"},
                "SystemEndpoint": {"Address": "+15550100200", "Type": "TELEPHONE_NUMBER"},
                "InitiationMethod": "INBOUND",
                "InstanceARN": instance_arn,
                "Queue": {"ARN": f"{instance_arn}/queue/basic", "Name": "BasicQueue"},
                "MediaStreams": {"Customer": {"Audio": audio}},
            },
            "Parameters": {},
        },
    }


def contact_event(
    *, contact_id: str, event_type: str, instance_arn: str = DEMO_INSTANCE_ARN
) -> dict[str, Any]:
    """An EventBridge 'Amazon Connect Contact Event'."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "version": "0",
        "source": "aws.connect",
        "detail-type": "Amazon Connect Contact Event",
        "account": instance_arn.split(":")[4],
        "region": instance_arn.split(":")[3],
        "time": now,
        "resources": [instance_arn],
        "detail": {
            "eventType": event_type,
            "contactId": contact_id,
            "initialContactId": contact_id,
            "channel": "VOICE",
            "instanceArn": instance_arn,
            "initiationMethod": "INBOUND",
        },
    }
