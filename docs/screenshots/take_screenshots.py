"""Screenshots of the Temporal UI for docs/compliance.md, taken with headless Chromium.

Run from the repository root against a running dev stack, after at least one sample call
whose audio redaction was verified::

    .venv/bin/callguide dev up --detach
    .venv/bin/callguide demo
    .venv/bin/python docs/screenshots/take_screenshots.py [--contact-id ID] [--out DIR]

It reads the dev stack's endpoints from .callguide/dev.json, finds the newest call whose
AudioRedactionWorkflow is `RedactionStatus="verified"` (or the one given by --contact-id),
and saves, each with the plain `chromium --headless --screenshot` command line:

  01-verified-redactions.png        workflow list, query RedactionStatus="verified"
  02-contact-workflows.png          workflow list, query ContactId="<id>": the call,
                                    its redaction and its verification
  03-redaction-workflow.png         the AudioRedactionWorkflow: input and result
  04-redaction-memo.png             its memo: the PII-free summary
  05-verification-workflow.png      the VerificationWorkflow: input and result (verdict)
  06-verification-attributes.png    its search attributes: RedactionStatus in clear
  07-failed-redactions.png          workflow list, query RedactionStatus="failed"
                                    (empty when no call has failed)

Chromium also dumps each page's DOM, which is checked: a page that does not name the
workflows it should (a blank or login page) is an error. A page where the UI reports
"Codec Server could not connect" is saved anyway, but the script then exits with status
2: its payloads are shown encrypted, not decoded.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from callguide import search_attributes as sa  # noqa: E402
from callguide.dev_state import pid_alive, read_dev_state  # noqa: E402
from callguide.model import call_workflow_id  # noqa: E402
from callguide.settings import get_settings  # noqa: E402
from workflows.redaction_types import verification_workflow_id  # noqa: E402

OUT_DIR = Path(__file__).resolve().parent
NAMESPACE = "default"
MAX_PNG_BYTES = 300 * 1024
CHROMIUM_TIMEOUT_S = 120
CODEC_ERROR = "Codec Server could not connect"
LIST_WINDOW = (1920, 700)  # wide enough for the list's Type and Start columns
PAGE_WINDOW = (1400, 1000)
TAB_WINDOW = (1400, 760)


class ScreenshotError(RuntimeError):
    pass


@dataclass(frozen=True)
class Run:
    workflow_id: str
    run_id: str


@dataclass(frozen=True)
class AuditedCall:
    tenant_id: str
    contact_id: str
    call: Run
    redaction: Run
    verification: Run
    verdict: str  # the verification's RedactionStatus


@dataclass(frozen=True)
class Shot:
    name: str
    what: str
    path: str  # under the Temporal UI's address
    window: tuple[int, int]
    expect: tuple[str, ...]  # text the rendered page must contain


@dataclass
class Saved:
    file: Path
    size: int
    codec_error: bool


def fail(message: str) -> NoReturn:
    print(f"take_screenshots: {message}", file=sys.stderr)
    raise SystemExit(1)


def running_stack() -> dict[str, Any]:
    state_dir = get_settings().state_dir
    if not state_dir.is_absolute():
        state_dir = REPO / state_dir
    state = read_dev_state(state_dir)
    if state is None or not pid_alive(state.get("pid")):
        fail(
            f"no dev stack is running (no live {state_dir / 'dev.json'}); start one with "
            "`.venv/bin/callguide dev up --detach`, then run `.venv/bin/callguide demo`"
        )
    if not state.get("temporal_ui_url"):
        fail("the dev stack runs Temporal without its Web UI (no temporal_ui_url in dev.json)")
    try:
        with urllib.request.urlopen(state["temporal_ui_url"], timeout=10) as response:
            response.read(1)
    except (urllib.error.URLError, OSError) as exc:
        fail(f"the Temporal UI at {state['temporal_ui_url']} does not answer: {exc}")
    return state


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    fail("chromium is not installed; on Debian: apt-get install -y chromium")


async def find_call(address: str, contact_id: str | None) -> AuditedCall:
    from temporalio.client import Client
    from temporalio.service import RPCError

    if contact_id is not None and not re.fullmatch(r"[A-Za-z0-9._:-]+", contact_id):
        fail(f"not a contact id: {contact_id!r}")
    client = await Client.connect(address, namespace=NAMESPACE)
    query = 'WorkflowType="AudioRedactionWorkflow"'
    query += f' AND ContactId="{contact_id}"' if contact_id else ' AND RedactionStatus="verified"'
    found = [wf async for wf in client.list_workflows(query, limit=200)]
    if not found:
        wanted = f"contact {contact_id}" if contact_id else 'RedactionStatus="verified"'
        fail(
            f"no AudioRedactionWorkflow with {wanted} in the dev stack's Temporal; "
            "run a whole call first: `.venv/bin/callguide demo`"
        )
    newest = max(found, key=lambda wf: wf.start_time)
    tenant = newest.typed_search_attributes.get(sa.TENANT_ID)
    contact = newest.typed_search_attributes.get(sa.CONTACT_ID)
    if tenant is None or contact is None:
        fail(f"{newest.id} has no TenantId or ContactId search attribute")
    call_id = newest.id.removeprefix(f"redact-{tenant}-")
    try:
        verification = await client.get_workflow_handle(
            verification_workflow_id(tenant, call_id)
        ).describe()
        call = await client.get_workflow_handle(call_workflow_id(tenant, call_id)).describe()
    except RPCError as exc:
        fail(f"{newest.id}: its call or verification workflow is missing: {exc}")
    return AuditedCall(
        tenant_id=tenant,
        contact_id=contact,
        call=Run(call.id, call.run_id),
        redaction=Run(newest.id, newest.run_id),
        verification=Run(verification.id, verification.run_id),
        verdict=verification.typed_search_attributes.get(sa.REDACTION_STATUS) or "(none)",
    )


def list_path(query: str) -> str:
    return f"/namespaces/{NAMESPACE}/workflows?query={urllib.parse.quote(query, safe='')}"


def run_path(run: Run, tab: str | None = None) -> str:
    path = f"/namespaces/{NAMESPACE}/workflows/{urllib.parse.quote(run.workflow_id)}"
    path += f"/{run.run_id}"
    return f"{path}/{tab}" if tab else path


def chip(attribute: str, value: str) -> str:
    """How the list page's filter chip for `attribute = "value"` reads in the DOM."""
    return f'title="{attribute} = &quot;{value}&quot;"'


def shots(call: AuditedCall) -> list[Shot]:
    red, ver = call.redaction, call.verification

    def listed(status: str) -> tuple[str, ...]:
        """The call's two workflows, expected in a list of this status if it has it."""
        return (red.workflow_id, ver.workflow_id) if call.verdict == status else ()

    return [
        Shot(
            "01-verified-redactions.png",
            'workflow list, RedactionStatus="verified"',
            list_path('RedactionStatus="verified"'),
            LIST_WINDOW,
            (chip("RedactionStatus", "verified"), *listed("verified")),
        ),
        Shot(
            "02-contact-workflows.png",
            f'workflow list, ContactId="{call.contact_id}"',
            list_path(f'ContactId="{call.contact_id}"'),
            LIST_WINDOW,
            (
                chip("ContactId", call.contact_id),
                call.call.workflow_id,
                red.workflow_id,
                ver.workflow_id,
            ),
        ),
        Shot(
            "03-redaction-workflow.png",
            f"{red.workflow_id}: input and result",
            run_path(red),
            PAGE_WINDOW,
            (red.workflow_id, "AudioRedactionWorkflow"),
        ),
        Shot(
            "04-redaction-memo.png",
            f"{red.workflow_id}: memo",
            run_path(red, "memo"),
            TAB_WINDOW,
            (red.workflow_id, "summary"),
        ),
        Shot(
            "05-verification-workflow.png",
            f"{ver.workflow_id}: input and result",
            run_path(ver),
            PAGE_WINDOW,
            (ver.workflow_id, "VerificationWorkflow"),
        ),
        Shot(
            "06-verification-attributes.png",
            f"{ver.workflow_id}: search attributes",
            run_path(ver, "search-attributes"),
            TAB_WINDOW,
            (ver.workflow_id, "RedactionStatus", f'"{call.verdict}"'),
        ),
        Shot(
            "07-failed-redactions.png",
            'workflow list, RedactionStatus="failed"',
            list_path('RedactionStatus="failed"'),
            LIST_WINDOW,
            (chip("RedactionStatus", "failed"), *listed("failed")),
        ),
    ]


def take(chromium: str, url: str, out: Path, window: tuple[int, int]) -> str:
    """Saves a screenshot of url to out and returns the page's rendered DOM."""
    with tempfile.TemporaryDirectory(prefix="callguide-shot-") as profile:
        command = [
            chromium,
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            f"--user-data-dir={profile}",  # a fresh profile: no codec override, no saved views
            f"--window-size={window[0]},{window[1]}",
            "--virtual-time-budget=15000",
            "--hide-scrollbars",
            "--dump-dom",
            f"--screenshot={out}",
            url,
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired:
            raise ScreenshotError(f"chromium took over {CHROMIUM_TIMEOUT_S}s on {url}") from None
    if done.returncode != 0 or not out.exists():
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise ScreenshotError(f"chromium failed ({done.returncode}) on {url}:\n{tail}")
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contact-id", help="the call to show; the newest verified one if unset")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"default {OUT_DIR}")
    args = parser.parse_args(argv)

    state = running_stack()
    chromium = find_chromium()
    call = asyncio.run(find_call(state["temporal_address"], args.contact_id))
    print(
        f"call {call.call.workflow_id} (tenant {call.tenant_id}, contact {call.contact_id}): "
        f"redaction {call.verdict}"
    )
    args.out.mkdir(parents=True, exist_ok=True)
    ui = state["temporal_ui_url"].rstrip("/")

    saved: list[Saved] = []
    problems: list[str] = []
    for shot in shots(call):
        out = args.out / shot.name
        out.unlink(missing_ok=True)
        try:
            dom = take(chromium, ui + shot.path, out, shot.window)
        except ScreenshotError as exc:
            problems.append(str(exc))
            continue
        missing = [text for text in shot.expect if text not in dom]
        if missing:
            problems.append(f"{out.name}: the page does not show {missing} ({ui}{shot.path})")
        item = Saved(out, out.stat().st_size, CODEC_ERROR in dom)
        saved.append(item)
        note = "  [payloads NOT decoded: codec error]" if item.codec_error else ""
        print(f"saved {out} ({item.size // 1024} KB): {shot.what}{note}")
        if item.size > MAX_PNG_BYTES:
            problems.append(f"{out.name} is {item.size // 1024} KB, over {MAX_PNG_BYTES // 1024}")

    if problems:
        print("\n".join(["take_screenshots: failed:", *problems]), file=sys.stderr)
        return 1
    undecoded = [s.file.name for s in saved if s.codec_error]
    if undecoded:
        print(
            f"take_screenshots: the Temporal UI reported '{CODEC_ERROR}' on "
            f"{', '.join(undecoded)}: payloads there are shown encrypted. The UI calls "
            f"{state['api_url']}/codec/decode; see .callguide/logs/api.log for its answers.",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
