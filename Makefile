# The two set-up commands are `make demo` and `make test`; both install what they need.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := python3 -m uv
endif
PY := .venv/bin/python

.PHONY: install system-deps demo test lint typecheck bench screenshots clean

# Speech tools make sample audio (espeak-ng's robotic voices, festival's more natural
# ones); they are optional for the suite and the demo, whose audio is committed.
SPEECH_PACKAGES := espeak-ng sox festival festvox-us-slt-hts festvox-kallpc16k
# docker-compose validates docker-compose.yml in the suite; that needs no Docker daemon,
# so its recommended packages are left out.
CHECK_PACKAGES := docker-compose
system-deps:
	@if ! dpkg -s $(SPEECH_PACKAGES) >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && apt-get install -y -qq $(SPEECH_PACKAGES) >/dev/null) \
	      || echo "note: could not install $(SPEECH_PACKAGES); TTS-based tests will be skipped"; \
	  fi; \
	fi
	@if ! dpkg -s $(CHECK_PACKAGES) >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && apt-get install -y -qq --no-install-recommends \
	      $(CHECK_PACKAGES) >/dev/null) \
	      || echo "note: could not install $(CHECK_PACKAGES); the compose check will be skipped"; \
	  fi; \
	fi

install:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv \
	  || python3 -m pip install --quiet --break-system-packages uv
	$(UV) sync --frozen

demo: install
	.venv/bin/callguide demo

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: install
	.venv/bin/mypy

test: install system-deps lint typecheck
	.venv/bin/pytest -q --durations=20

# Figures go to docs/benchmarks.md; each script says how it measures in its docstring.
bench: install system-deps
	$(PY) bench/bench_call_latency.py
	$(PY) bench/bench_parser.py
	$(PY) bench/bench_asr.py
	$(PY) bench/bench_asr_accuracy.py
	$(PY) bench/bench_audio_worker.py
	$(PY) bench/bench_redaction.py
	$(PY) bench/bench_redaction.py --corpus tests/data/pii/holdout4.jsonl
	$(PY) bench/bench_audio_redaction.py
	$(PY) bench/bench_knowledge.py
	$(PY) bench/bench_llm.py
	$(PY) bench/bench_guidance.py
	$(PY) bench/bench_analytics.py
	$(PY) bench/bench_search.py

# The compliance guide's Temporal UI screenshots, from a running stack (`make demo` first).
screenshots: install
	@command -v chromium >/dev/null || apt-get install -y -qq chromium >/dev/null
	$(PY) docs/screenshots/take_screenshots.py

clean:
	rm -rf .callguide .pytest_cache .mypy_cache .ruff_cache
