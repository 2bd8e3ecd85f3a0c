"""What a running dev stack writes to .callguide/: endpoints, pids and its codec key."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from callguide.settings import Settings, new_codec_key_spec

DEV_FILE = "dev.json"
CODEC_KEY_FILE = "codec-keys"


def dev_file(state_dir: Path) -> Path:
    return state_dir / DEV_FILE


def read_dev_state(state_dir: Path) -> dict[str, Any] | None:
    with contextlib.suppress(FileNotFoundError, json.JSONDecodeError):
        state: dict[str, Any] = json.loads(dev_file(state_dir).read_text())
        return state
    return None


def write_dev_state(state_dir: Path, state: dict[str, Any]) -> None:
    tmp = dev_file(state_dir).with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2) + "\n")
    tmp.replace(dev_file(state_dir))


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def dev_codec_keys(state_dir: Path) -> str:
    """The dev stack's key, made once and kept so restarts still read old histories."""
    path = state_dir / CODEC_KEY_FILE
    if not path.exists():
        state_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(new_codec_key_spec("dev-1") + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def settings_with_dev_stack(settings: Settings) -> Settings:
    """Fills endpoints the environment leaves unset from a running dev stack, if any."""
    state = read_dev_state(settings.state_dir)
    if state is None or not pid_alive(state.get("pid")):
        return settings
    update: dict[str, Any] = {}
    if not settings.database_url:
        update["database_url"] = state["database_url"]
    if not settings.redis_url:
        update["redis_url"] = state["redis_url"]
    if not settings.s3_endpoint_url and state.get("s3_endpoint_url"):
        update["s3_endpoint_url"] = state["s3_endpoint_url"]
    if not settings.llm_url and state.get("llm_url"):
        update["llm_url"] = state["llm_url"]
    if "CALLGUIDE_TEMPORAL_ADDRESS" not in os.environ:
        update["temporal_address"] = state["temporal_address"]
    if not settings.codec_keys.get_secret_value():
        # model_copy does not validate: the value must already be a SecretStr.
        update["codec_keys"] = SecretStr(dev_codec_keys(settings.state_dir))
    return settings.model_copy(update=update)
