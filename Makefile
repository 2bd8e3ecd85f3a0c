# The two set-up commands are `make demo` and `make test`; both install what they need.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PY := .venv/bin/python

.PHONY: install system-deps demo test lint typecheck bench clean

$(UV):
	python3 -m pip install --user --quiet uv || python3 -m pip install --quiet uv

# Speech tools make sample audio; they are optional for the suite and the demo.
system-deps:
	@if ! command -v espeak-ng >/dev/null || ! command -v sox >/dev/null; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && apt-get install -y -qq espeak-ng sox >/dev/null) \
	      || echo "note: could not install espeak-ng/sox; TTS-based tests will be skipped"; \
	  fi; \
	fi

install: $(UV)
	$(UV) sync --frozen

demo: install
	.venv/bin/callguide demo

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: install
	.venv/bin/mypy

test: install system-deps lint typecheck
	.venv/bin/pytest -q

bench: install
	$(PY) bench/bench_call_latency.py
	@for script in bench/bench_parser.py bench/bench_asr.py; do \
	  [ -f $$script ] && $(PY) $$script || true; done

clean:
	rm -rf .callguide .pytest_cache .mypy_cache .ruff_cache
