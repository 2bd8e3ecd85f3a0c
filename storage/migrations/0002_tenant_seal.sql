-- Tenants are sealed: each has one canonical host slug and the Connect instances it owns.

ALTER TABLE tenants ADD COLUMN slug text;
ALTER TABLE tenants ADD COLUMN connect_instances text[] NOT NULL DEFAULT '{}';

-- Existing tenants get the slug their host used to be derived from; where two names
-- collapse to one slug, the later tenant's slug carries its id so both stay reachable.
UPDATE tenants t SET slug = ranked.slug
FROM (
    SELECT id,
           CASE
               WHEN base = '' THEN 't-' || id
               WHEN row_number() OVER (PARTITION BY base ORDER BY created_at, id) = 1 THEN base
               ELSE base || '-' || id
           END AS slug
    FROM (
        SELECT id, created_at,
               trim(both '-' from left(
                   trim(both '-' from regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g')), 48
               )) AS base
        FROM tenants
    ) named
) ranked
WHERE ranked.id = t.id;

ALTER TABLE tenants ALTER COLUMN slug SET NOT NULL;
ALTER TABLE tenants ADD CONSTRAINT tenants_slug_canonical
    CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 63);
CREATE UNIQUE INDEX tenants_slug ON tenants (slug);
