-- Guidance results: the hints each call's agent was shown, the agent's feedback on them,
-- and the summary written after the call. Hint text comes from policies, knowledge
-- articles and models that only ever saw redacted turns; the triggering turn is referred
-- to by its place in the call's audio, not copied.

CREATE TABLE hints (
    tenant_id       text NOT NULL,
    call_id         text NOT NULL,
    hint_id         text NOT NULL,
    type            text NOT NULL,
    title           text NOT NULL,
    body            text NOT NULL,
    moment_id       text NOT NULL,
    article_id      text,
    model           text,
    confidence      real NOT NULL,
    policy_version  integer NOT NULL,
    trigger_speaker text,
    trigger_start_ms integer,
    trigger_end_ms  integer,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    feedback        text,
    feedback_at     timestamptz,
    PRIMARY KEY (tenant_id, call_id, hint_id),
    FOREIGN KEY (tenant_id, call_id) REFERENCES calls (tenant_id, call_id)
);
CREATE INDEX hints_by_moment ON hints (tenant_id, moment_id, created_at);

-- Every feedback an agent gave, in order (the hint row keeps the latest).
CREATE TABLE hint_feedback (
    tenant_id   text NOT NULL,
    call_id     text NOT NULL,
    hint_id     text NOT NULL,
    feedback    text NOT NULL CHECK (feedback IN ('accepted', 'dismissed', 'used')),
    agent       text,
    at          timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, call_id, hint_id, at, feedback),
    FOREIGN KEY (tenant_id, call_id, hint_id) REFERENCES hints (tenant_id, call_id, hint_id)
);

CREATE TABLE call_summaries (
    tenant_id   text NOT NULL,
    call_id     text NOT NULL,
    reason      text NOT NULL,
    resolution  text NOT NULL,
    follow_ups  jsonb NOT NULL,
    source      text NOT NULL,
    model       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, call_id),
    FOREIGN KEY (tenant_id, call_id) REFERENCES calls (tenant_id, call_id)
);
