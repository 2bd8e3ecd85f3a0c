"""The contact-flow Lambda: forwards Connect's event to callguide and answers the flow.

Environment: CALLGUIDE_API_URL (https://<tenant>.<region>.<domain>) and CALLGUIDE_API_KEY.
Uses only the standard library so it deploys as a single file.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any

TIMEOUT_S = 3.0


def handler(event: dict[str, Any], context: object = None) -> dict[str, str]:
    request = urllib.request.Request(
        os.environ["CALLGUIDE_API_URL"].rstrip("/") + "/v1/connect/contact-flow",
        data=json.dumps(event).encode(),
        headers={
            "Authorization": f"Bearer {os.environ['CALLGUIDE_API_KEY']}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            body = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        # Contact flows branch on the Lambda's result; a readable reason helps whoever debugs it.
        detail = exc.read().decode(errors="replace")[:500]
        raise RuntimeError(f"callguide refused the event ({exc.code}): {detail}") from exc
    # Connect contact flows accept flat string attributes only.
    return {"callguide_call_id": body["call_id"], "callguide_created": str(body["created"]).lower()}
