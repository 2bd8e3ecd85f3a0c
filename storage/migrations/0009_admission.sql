-- Admission control: a tenant may cap how many of its calls run at once (NULL: no cap).
-- A call holds its admission from the contact-flow event on; it stops counting once the
-- call's row says it finished (or, for a call whose row never appeared, after a grace).

ALTER TABLE tenants ADD COLUMN max_concurrent_calls integer
    CHECK (max_concurrent_calls IS NULL OR max_concurrent_calls > 0);

CREATE TABLE call_admissions (
    tenant_id   text NOT NULL REFERENCES tenants (id),
    call_id     text NOT NULL,
    admitted_at timestamptz NOT NULL DEFAULT now(),
    released_at timestamptz,
    PRIMARY KEY (tenant_id, call_id)
);
CREATE INDEX call_admissions_held ON call_admissions (tenant_id) WHERE released_at IS NULL;

-- Calls refused for being over the limit: counted per tenant for ops and alerting.
CREATE TABLE admission_refusals (
    tenant_id   text NOT NULL REFERENCES tenants (id),
    call_id     text NOT NULL,
    refused_at  timestamptz NOT NULL DEFAULT now(),
    in_use      integer NOT NULL,
    max_allowed integer NOT NULL
);
CREATE INDEX admission_refusals_by_tenant ON admission_refusals (tenant_id, refused_at);
