"""The contact-events Lambda: forwards EventBridge "Amazon Connect Contact Event"s to
callguide (`POST /v1/connect/events`); DISCONNECTED ends the call there.

EventBridge invokes it asynchronously, so nobody waits on it, and a lost DISCONNECTED
would leave the call running until its idle limit. So, unlike the contact-flow handler:
when callguide cannot answer (unreachable, slow past CALLGUIDE_TIMEOUT_S, 5xx) it raises
CallguideUnavailable within its timeout, and Lambda's asynchronous retries (then the
function's dead-letter queue) deliver the event again (a repeat is recorded again; ending
an ended call does nothing). An event callguide refuses (4xx) is answered, not raised: sending
it again cannot help. Settings: see callguide_api.
"""

from __future__ import annotations

import logging
from typing import Any

from callguide_api import ApiAnswer, deadline_for, detail_of, post_to_callguide

log = logging.getLogger("callguide.contact_events")
log.setLevel(logging.INFO)

PATH = "/v1/connect/events"
# Nobody waits on this Lambda (its own timeout is longer): a slow API gets more time.
DEFAULT_TIMEOUT_S = 5.0


def _detail(event: Any, name: str) -> str:
    detail = event.get("detail") if isinstance(event, dict) else None
    value = detail.get(name) if isinstance(detail, dict) else None
    return value if isinstance(value, str) else ""


def _answer(answer: ApiAnswer, contact_id: str, event_type: str) -> dict[str, str]:
    if 200 <= answer.status < 300:
        return {
            "callguide": "recorded",
            "callId": str(answer.body.get("call_id") or contact_id),
            "eventType": str(answer.body.get("event_type") or event_type),
            "endingCall": str(answer.body.get("ending_call") is True).lower(),
            "httpStatus": str(answer.status),
        }
    return {
        "callguide": "rejected",
        "callId": contact_id,
        "eventType": event_type,
        "httpStatus": str(answer.status),
        "reason": detail_of(answer),
    }


def handler(event: dict[str, Any], context: object = None) -> dict[str, str]:
    contact_id, event_type = _detail(event, "contactId"), _detail(event, "eventType")
    # CallguideUnavailable propagates on purpose: Lambda retries the event.
    answer = post_to_callguide(PATH, event, deadline_for(context, DEFAULT_TIMEOUT_S))
    result = _answer(answer, contact_id, event_type)
    log.info(
        "contact %s %s: callguide %s (%s)",
        contact_id,
        event_type,
        result["callguide"],
        result["httpStatus"],
    )
    return result
