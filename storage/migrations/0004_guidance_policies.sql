-- Guidance: each tenant's guidance policy (moments, knowledge articles, model route).
-- Every version is kept and the newest applies; calls record the version they were guided
-- by. Policies are configuration a tenant writes: no call data, no PII, no credentials.

CREATE TABLE guidance_policies (
    tenant_id   text NOT NULL REFERENCES tenants (id),
    version     integer NOT NULL CHECK (version >= 1),
    policy      jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, version)
);
