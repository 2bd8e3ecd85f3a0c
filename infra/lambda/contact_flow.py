"""The contact-flow Lambda: forwards Connect's event to callguide and answers the flow at once.

The flow's "Invoke AWS Lambda function" block calls it right after "Start media
streaming". Whatever happens (callguide down, slow, over the tenant's call limit, the
event refused) it returns within CALLGUIDE_TIMEOUT_S and never raises, so the caller is
never held: the call goes on without assist. Connect takes a flat map of strings only;
the flow can branch on `callguide`:

- started / already_started: the call is assisted (a re-delivered event starts nothing);
- refused: the tenant is at its concurrent-call limit (429), `retryAfter` in seconds;
- rejected: callguide refused the event itself (bad event, instance not bound to the
  tenant, key revoked), `httpStatus` and `reason` say why: a configuration to fix;
- unavailable: callguide did not answer in time or failed (5xx).

`callId` is the contact's id in every answer. Settings: see callguide_api.
"""

from __future__ import annotations

import logging
from typing import Any

from callguide_api import (
    ApiAnswer,
    CallguideUnavailable,
    deadline_for,
    detail_of,
    post_to_callguide,
)

log = logging.getLogger("callguide.contact_flow")
log.setLevel(logging.INFO)

PATH = "/v1/connect/contact-flow"


def _contact_id(event: Any) -> str:
    try:
        value = event["Details"]["ContactData"]["ContactId"]
    except (KeyError, TypeError):
        return ""
    return value if isinstance(value, str) else ""


def _answer(answer: ApiAnswer, contact_id: str) -> dict[str, str]:
    status = str(answer.status)
    if answer.status == 200:
        created = answer.body.get("created") is True
        call_id = str(answer.body.get("call_id") or contact_id)
        outcome = "started" if created else "already_started"
        return {"callguide": outcome, "callId": call_id, "httpStatus": status}
    if answer.status == 429:
        return {
            "callguide": "refused",
            "callId": contact_id,
            "httpStatus": status,
            "retryAfter": answer.retry_after or "",
            "reason": detail_of(answer),
        }
    return {
        "callguide": "rejected",
        "callId": contact_id,
        "httpStatus": status,
        "reason": detail_of(answer),
    }


def handler(event: dict[str, Any], context: object = None) -> dict[str, str]:
    deadline = deadline_for(context)
    contact_id = _contact_id(event)
    try:
        result = _answer(post_to_callguide(PATH, event, deadline), contact_id)
    except CallguideUnavailable as exc:
        result = {"callguide": "unavailable", "callId": contact_id, "reason": str(exc)}
    except Exception as exc:  # the flow must get an answer whatever broke
        # The type only: a traceback or message could quote the event.
        log.error("contact %s: forwarding failed: %s", contact_id, type(exc).__name__)
        result = {"callguide": "unavailable", "callId": contact_id, "reason": type(exc).__name__}
    # Ids and outcome only: the event holds the caller's number.
    log.info(
        "contact %s: callguide %s (%s)",
        contact_id,
        result["callguide"],
        result.get("httpStatus", "-"),
    )
    return result
