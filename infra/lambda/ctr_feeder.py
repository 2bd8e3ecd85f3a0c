"""The CTR feeder Lambda: Connect's contact-record Kinesis stream to callguide, for
deployments that do not run `callguide ctr-consumer` (the stream consumer is the default).

Kinesis triggers it with a batch of records (base64 data). Each one that decodes to a
JSON object of this tenant's instance (CALLGUIDE_CONNECT_INSTANCE_ARN, when set: the
event source mapping's filter should already ensure it) is sent, in one request, to
`POST /v1/connect/contact-records` as `{"records": [<CTR>, ...]}`. callguide keeps only
the record's non-PII fields and the newest LastUpdateTimestamp per contact, so sending a
record twice is harmless.

The answer uses the partial-batch protocol (ReportBatchItemFailures): records callguide
did not take are named in `batchItemFailures`, and Lambda sends them again (then to the
mapping's on-failure destination). Records that are not CTRs at all are skipped, logged
by sequence number only (a CTR holds the caller's phone number); retrying would block the
shard for nothing. Settings: see callguide_api.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
from typing import Any

from callguide_api import CallguideUnavailable, deadline_for, post_to_callguide

log = logging.getLogger("callguide.ctr_feeder")
log.setLevel(logging.INFO)

PATH = "/v1/connect/contact-records"
# Nobody waits on the feeder; its Lambda timeout is longer still.
DEFAULT_TIMEOUT_S = 10.0


def _decoded(record: Any) -> tuple[str, dict[str, Any] | None]:
    """The record's sequence number and its CTR, or None when it is not one."""
    kinesis = record.get("kinesis") if isinstance(record, dict) else None
    if not isinstance(kinesis, dict):
        return "", None
    sequence = str(kinesis.get("sequenceNumber") or "")
    try:
        ctr = json.loads(base64.b64decode(kinesis.get("data") or "", validate=True))
    except (binascii.Error, ValueError, TypeError):
        return sequence, None
    return sequence, ctr if isinstance(ctr, dict) else None


def handler(event: dict[str, Any], context: object = None) -> dict[str, list[dict[str, str]]]:
    instance = os.environ.get("CALLGUIDE_CONNECT_INSTANCE_ARN", "")
    sequences: list[str] = []
    records: list[dict[str, Any]] = []
    skipped = other_instance = 0
    for raw in event.get("Records") or []:
        sequence, ctr = _decoded(raw)
        if ctr is None:
            skipped += 1
            log.warning("skipped a record that is not a contact record: sequence %s", sequence)
        elif instance and ctr.get("InstanceARN") != instance:
            other_instance += 1  # another tenant's: never sent to this tenant's API
        else:
            sequences.append(sequence)
            records.append(ctr)
    failed = False
    status = "-"
    if records:
        try:
            answer = post_to_callguide(
                PATH, {"records": records}, deadline_for(context, DEFAULT_TIMEOUT_S)
            )
            status = str(answer.status)
            failed = not 200 <= answer.status < 300
        except CallguideUnavailable as exc:
            status, failed = str(exc), True
    log.info(
        "contact records: %d sent, %d skipped, %d of other instances, callguide %s%s",
        len(records),
        skipped,
        other_instance,
        status,
        " (will be sent again)" if failed else "",
    )
    if not failed:
        return {"batchItemFailures": []}
    return {"batchItemFailures": [{"itemIdentifier": s} for s in sequences]}
