FROM python:3.11-slim
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
COPY callguide callguide
COPY workflows workflows
COPY activities activities
COPY workers workers
COPY api api
COPY redaction redaction
COPY voice voice
COPY guidance guidance
COPY storage storage
RUN uv sync --frozen --no-dev
ENV PATH="/app/.venv/bin:$PATH"
ENTRYPOINT ["callguide"]
