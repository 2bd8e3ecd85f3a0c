"""The Amazon Connect contact flow that Terraform installs (infra/terraform/modules/
connect_integration/flows): valid flow language, media streaming started before callguide
is invoked and stopped before every end, the call going on when callguide fails, and every
placeholder filled by Terraform."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

MODULES = Path(__file__).resolve().parents[2] / "infra" / "terraform" / "modules"
CONTACT_FLOW = MODULES / "connect_integration" / "flows" / "callguide_inbound.json"
CONNECT_FLOW_VERSION = "2019-10-30"
CONNECT_MAX_LAMBDA_TIMEOUT_S = 8


def _flow() -> dict[str, Any]:
    flow: dict[str, Any] = json.loads(CONTACT_FLOW.read_text())
    return flow


def _transitions(action: dict[str, Any]) -> list[str]:
    transitions = action.get("Transitions", {})
    targets = [transitions["NextAction"]] if "NextAction" in transitions else []
    for branch in transitions.get("Errors", []) + transitions.get("Conditions", []):
        targets.append(branch["NextAction"])
    return targets


def _stage(action: dict[str, Any]) -> str:
    """Connect's flow language names both media-streaming blocks by one type and a state."""
    if action["Type"] == "UpdateContactMediaStreamingBehavior":
        state = action["Parameters"]["MediaStreamingState"]
        return {"Enabled": "StartMediaStreaming", "Disabled": "StopMediaStreaming"}[state]
    return str(action["Type"])


def _paths(actions: dict[str, dict[str, Any]], start: str) -> list[list[str]]:
    paths: list[list[str]] = []

    def walk(path: list[str]) -> None:
        targets = _transitions(actions[path[-1]])
        if not targets:
            paths.append(path)
        for target in dict.fromkeys(targets):
            assert target not in path, f"the flow loops: {[*path, target]}"
            walk([*path, target])

    walk([start])
    return paths


def test_contact_flow_is_connect_flow_language() -> None:
    flow = _flow()
    assert flow["Version"] == CONNECT_FLOW_VERSION
    identifiers = [action["Identifier"] for action in flow["Actions"]]
    assert len(identifiers) == len(set(identifiers)), "action identifiers are unique"
    assert flow["StartAction"] in identifiers
    for action in flow["Actions"]:
        assert isinstance(action["Parameters"], dict)
        for target in _transitions(action):
            assert target in identifiers, f"{action['Identifier']} -> unknown {target}"
        if action["Type"] == "UpdateContactMediaStreamingBehavior":
            assert action["Parameters"]["MediaStreamType"] == "Audio"
            for participant in action["Parameters"]["Participants"]:
                assert participant["ParticipantType"] == "Customer"
                assert set(participant["MediaDirections"]) == {"From", "To"}
    reachable = {name for path in _paths(_actions(flow), flow["StartAction"]) for name in path}
    assert reachable == set(identifiers), f"unreachable actions {set(identifiers) - reachable}"


def _actions(flow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {action["Identifier"]: action for action in flow["Actions"]}


def test_contact_flow_streams_before_invoking_callguide_and_stops_before_every_end() -> None:
    flow = _flow()
    actions = _actions(flow)
    paths = _paths(actions, flow["StartAction"])
    assert _stage(actions[flow["StartAction"]]) == "StartMediaStreaming"
    for path in paths:
        stages = [_stage(actions[name]) for name in path]
        assert stages[-1] == "DisconnectParticipant", f"branch ends in {stages[-1]}: {path}"
        assert "StopMediaStreaming" in stages, f"branch never stops streaming: {path}"
        stop = stages.index("StopMediaStreaming")
        for index, stage in enumerate(stages):
            if stage == "InvokeLambdaFunction":
                assert 0 < index < stop, f"Lambda outside Start..Stop streaming: {path}"
    # The way a call normally goes (no error branch): Start -> Invoke Lambda -> ... -> Stop.
    happy, name = [], flow["StartAction"]
    while name:
        happy.append(_stage(actions[name]))
        name = actions[name].get("Transitions", {}).get("NextAction")
    ordered = [
        s
        for s in happy
        if s in {"StartMediaStreaming", "InvokeLambdaFunction", "StopMediaStreaming"}
    ]
    assert ordered == ["StartMediaStreaming", "InvokeLambdaFunction", "StopMediaStreaming"], happy
    assert happy[-1] == "DisconnectParticipant"


def test_contact_flow_goes_on_when_callguide_fails() -> None:
    """An error or timeout of the Lambda leads to the same next block as its success."""
    flow = _flow()
    for action in flow["Actions"]:
        if action["Type"] != "InvokeLambdaFunction":
            continue
        transitions = action["Transitions"]
        assert {error["NextAction"] for error in transitions["Errors"]} == {
            transitions["NextAction"]
        }
        assert action["Parameters"]["ResponseValidation"] == {"ResponseType": "STRING_MAP"}


def test_contact_flow_placeholders_are_all_filled_by_terraform() -> None:
    placeholders = set(re.findall(r"\$\{(\w+)\}", CONTACT_FLOW.read_text()))
    main = (MODULES / "connect_integration" / "main.tf").read_text()
    call = re.search(
        r'templatefile\("\$\{path\.module\}/flows/callguide_inbound\.json", \{(.*?)\}\)', main, re.S
    )
    assert call, "the flow is rendered with templatefile"
    filled = set(re.findall(r"^\s*(\w+)\s*=", call.group(1), re.M))
    assert placeholders == filled
    rendered = CONTACT_FLOW.read_text()
    sample = {
        "contact_flow_lambda_arn": "arn:aws:lambda:eu-central-1:111122223333:function:f",
        "queue_arn": "arn:aws:connect:eu-central-1:111122223333:instance/i/queue/q",
        "lambda_invocation_timeout_s": "3",
    }
    for name, value in sample.items():
        rendered = rendered.replace("${" + name + "}", value)
    invoke = next(a for a in json.loads(rendered)["Actions"] if a["Type"] == "InvokeLambdaFunction")
    assert invoke["Parameters"]["LambdaFunctionARN"] == sample["contact_flow_lambda_arn"]
    assert (
        1 <= int(invoke["Parameters"]["InvocationTimeLimitSeconds"]) <= CONNECT_MAX_LAMBDA_TIMEOUT_S
    )
