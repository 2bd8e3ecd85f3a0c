-- Analytics events waiting for the ingester (analytics.ingester) to move them into
-- ClickHouse. Workers write here because only one process may own the embedded ClickHouse
-- (chdb) directory. Rows hold ids, times, counts and closed-set labels: never text.
CREATE TABLE analytics_outbox (
    id bigserial PRIMARY KEY,
    tenant_id text NOT NULL,
    kind text NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    data jsonb NOT NULL
);
