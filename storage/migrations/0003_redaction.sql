-- Redaction: each tenant's policy (every version kept, the newest applies), each call's
-- redaction verdict, and where PII was spoken in each utterance. No PII is stored here:
-- policies are configuration, verdicts and spans hold entity types, times and counts.

CREATE TABLE redaction_policies (
    tenant_id   text NOT NULL REFERENCES tenants (id),
    version     integer NOT NULL CHECK (version >= 1),
    policy      jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, version)
);

-- One row per call, upserted as the post-call redaction and verification go on.
CREATE TABLE call_redactions (
    tenant_id       text NOT NULL,
    call_id         text NOT NULL,
    status          text NOT NULL
        CHECK (status IN ('pending', 'redacted', 'verified', 'failed')),
    policy_version  integer,
    reasons         jsonb NOT NULL DEFAULT '[]',
    spans           jsonb NOT NULL DEFAULT '[]',
    bucket          text,
    object_key      text,
    audio_ms        integer,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, call_id)
);
CREATE INDEX call_redactions_by_status ON call_redactions (tenant_id, status, updated_at DESC);
CREATE INDEX call_redactions_recent ON call_redactions (tenant_id, updated_at DESC);

-- Existing rows had no PII spans recorded; a constant default adds the column in place.
ALTER TABLE utterances ADD COLUMN pii jsonb NOT NULL DEFAULT '[]';
