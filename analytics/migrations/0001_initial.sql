-- Analytics tables. Each is a ReplacingMergeTree keyed on what makes an event unique (a
-- call's lifecycle step, an utterance's audio span, a hint, one feedback, one stage of
-- one sample): a retried activity or a batch ingested twice after a crash collapses into
-- one row, and queries read with FINAL. outbox_id is the version: the newest row wins.
-- No column holds text: ids, times, counts and closed-set labels only.

CREATE TABLE IF NOT EXISTS call_lifecycle (
    tenant_id String,
    call_id String,
    event LowCardinality(String),
    at DateTime64(3, 'UTC'),
    status LowCardinality(String),
    end_reason LowCardinality(String),
    failure_reason LowCardinality(String),
    utterance_count UInt32,
    duration_ms UInt64,
    late_hints UInt32,
    outbox_id UInt64
) ENGINE = ReplacingMergeTree(outbox_id)
ORDER BY (tenant_id, call_id, event);

CREATE TABLE IF NOT EXISTS utterances (
    tenant_id String,
    call_id String,
    speaker LowCardinality(String),
    start_ms UInt32,
    end_ms UInt32,
    at DateTime64(3, 'UTC'),
    word_count UInt32,
    confidence Float32,
    pii_count UInt16,
    pii_types Array(LowCardinality(String)),
    outbox_id UInt64
) ENGINE = ReplacingMergeTree(outbox_id)
ORDER BY (tenant_id, call_id, speaker, start_ms, end_ms);

CREATE TABLE IF NOT EXISTS hints (
    tenant_id String,
    call_id String,
    hint_id String,
    at DateTime64(3, 'UTC'),
    moment_id String,
    type LowCardinality(String),
    article_id String,
    model LowCardinality(String),
    policy_version UInt32,
    outbox_id UInt64
) ENGINE = ReplacingMergeTree(outbox_id)
ORDER BY (tenant_id, call_id, hint_id);

CREATE TABLE IF NOT EXISTS hint_feedback (
    tenant_id String,
    call_id String,
    hint_id String,
    at DateTime64(3, 'UTC'),
    feedback LowCardinality(String),
    agent String,
    outbox_id UInt64
) ENGINE = ReplacingMergeTree(outbox_id)
ORDER BY (tenant_id, call_id, hint_id, at, feedback);

CREATE TABLE IF NOT EXISTS redaction_verdicts (
    tenant_id String,
    call_id String,
    verdict LowCardinality(String),
    at DateTime64(3, 'UTC'),
    policy_version UInt32,
    span_count UInt32,
    span_types Map(LowCardinality(String), UInt32),
    reason_count UInt32,
    outbox_id UInt64
) ENGINE = ReplacingMergeTree(outbox_id)
ORDER BY (tenant_id, call_id, verdict);

CREATE TABLE IF NOT EXISTS stage_latency (
    tenant_id String,
    call_id String,
    stage LowCardinality(String),
    sample_key String,
    at DateTime64(3, 'UTC'),
    ms Float64,
    outbox_id UInt64
) ENGINE = ReplacingMergeTree(outbox_id)
ORDER BY (tenant_id, stage, call_id, sample_key);
