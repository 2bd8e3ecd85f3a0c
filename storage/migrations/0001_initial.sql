CREATE TABLE tenants (
    id          text PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    region      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id          text PRIMARY KEY,
    tenant_id   text NOT NULL REFERENCES tenants (id),
    key_hash    text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE calls (
    tenant_id       text NOT NULL REFERENCES tenants (id),
    call_id         text NOT NULL,
    contact_id      text NOT NULL,
    workflow_id     text NOT NULL,
    status          text NOT NULL,
    instance_arn    text NOT NULL DEFAULT '',
    stream_arn      text,
    started_at      timestamptz NOT NULL,
    ended_at        timestamptz,
    end_reason      text,
    failure_reason  text,
    utterance_count integer NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, call_id)
);
CREATE INDEX calls_by_status ON calls (tenant_id, status, started_at DESC);

CREATE TABLE utterances (
    tenant_id   text NOT NULL,
    call_id     text NOT NULL,
    speaker     text NOT NULL,
    start_ms    integer NOT NULL,
    end_ms      integer NOT NULL,
    text        text NOT NULL,
    confidence  real NOT NULL,
    words       jsonb NOT NULL DEFAULT '[]',
    stored_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, call_id, speaker, start_ms, end_ms),
    FOREIGN KEY (tenant_id, call_id) REFERENCES calls (tenant_id, call_id)
);

-- Contact events arrive unordered and may precede the call, so no foreign key to calls.
CREATE TABLE call_events (
    id          bigserial PRIMARY KEY,
    tenant_id   text NOT NULL REFERENCES tenants (id),
    call_id     text NOT NULL,
    event_type  text NOT NULL,
    event_time  timestamptz,
    detail      jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX call_events_by_call ON call_events (tenant_id, call_id, id);
