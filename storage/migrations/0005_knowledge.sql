-- Knowledge assist: the articles of each tenant's guidance policy, one row per article,
-- searchable by PostgreSQL full text (the lexical half of POST /v1/knowledge/search; the
-- dense half is an embedding model in the API process). Rows are written in the same
-- transaction as the policy version that carries them, and a new version's put removes
-- the tenant's older rows: the policy JSON in guidance_policies stays the record of every
-- version. Articles are configuration a tenant writes: no call data, no PII.

-- array_to_string is only STABLE in general (it calls element types' output functions),
-- which a generated column refuses; for text[] it is immutable, so this wrapper says so.
CREATE FUNCTION knowledge_tags_text(tags text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT array_to_string(tags, ' ') $$;

CREATE TABLE knowledge_articles (
    tenant_id       text NOT NULL,
    policy_version  integer NOT NULL,
    article_id      text NOT NULL,
    title           text NOT NULL,
    body            text NOT NULL,
    tags            text[] NOT NULL DEFAULT '{}',
    -- Title and tags weigh A, the body B: a customer's word in an article's title says
    -- more than the same word somewhere in its body (storage.knowledge ranks with it).
    document        tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, title), 'A')
        || setweight(to_tsvector('english'::regconfig, knowledge_tags_text(tags)), 'A')
        || setweight(to_tsvector('english'::regconfig, body), 'B')
    ) STORED,
    PRIMARY KEY (tenant_id, policy_version, article_id),
    FOREIGN KEY (tenant_id, policy_version)
        REFERENCES guidance_policies (tenant_id, version) ON DELETE CASCADE
);
CREATE INDEX knowledge_articles_document ON knowledge_articles USING gin (document);

-- Policies set before this migration: their newest version's articles.
INSERT INTO knowledge_articles (tenant_id, policy_version, article_id, title, body, tags)
SELECT p.tenant_id, p.version, a ->> 'id', a ->> 'title', a ->> 'body',
       ARRAY(SELECT jsonb_array_elements_text(coalesce(a -> 'tags', '[]'::jsonb)))
FROM (
    SELECT DISTINCT ON (tenant_id) tenant_id, version, policy
    FROM guidance_policies
    ORDER BY tenant_id, version DESC
) AS p,
LATERAL jsonb_array_elements(coalesce(p.policy -> 'knowledge' -> 'articles', '[]'::jsonb)) AS a;
