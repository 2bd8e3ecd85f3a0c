"""TenantStore: canonical unique slugs, bound Connect instances, keys that end with their run."""

from __future__ import annotations

import uuid

import pytest

from callguide.resources import Stores
from storage.postgres import load_migrations
from storage.tenants import (
    InvalidTenantError,
    TenantExistsError,
    canonical_slug,
    validate_instance_arns,
)

INSTANCE = "arn:aws:connect:us-east-1:111122223333:instance/{}"


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize(
    ("name", "slug"),
    [("probe-a", "probe-a"), ("probe_a", "probe-a"), ("Probe A", "probe-a"), ("--A__b--", "a-b")],
)
def test_canonical_slug(name: str, slug: str) -> None:
    assert canonical_slug(name) == slug


@pytest.mark.parametrize("name", ["", "___", "x" * 64])
def test_names_without_a_host_label_are_refused(name: str) -> None:
    with pytest.raises(InvalidTenantError):
        canonical_slug(name)


def test_instance_arns_must_be_connect_instances_of_the_tenants_region() -> None:
    good = INSTANCE.format("5f1c0c8e-demo")
    assert validate_instance_arns([good, good], "us-east-1") == (good,)
    for bad in (
        "arn:aws:connect:us-east-1:111122223333:instance/",
        "arn:aws:kinesisvideo:us-east-1:111122223333:stream/x/1",
        "arn:aws:connect:us-east-1:1:instance/x",
        good + "/queue/basic",
    ):
        with pytest.raises(InvalidTenantError, match="not a Connect instance ARN"):
            validate_instance_arns([bad], "us-east-1")
    with pytest.raises(InvalidTenantError, match="eu-west-1"):
        validate_instance_arns([good.replace("us-east-1", "eu-west-1")], "us-east-1")


def test_the_migration_is_the_next_version() -> None:
    versions = [m.version for m in load_migrations()]
    assert len(versions) == len(set(versions))
    assert any(m.name == "tenant_seal" for m in load_migrations())


async def test_slugs_are_stored_canonical_and_unique(stores: Stores) -> None:
    base = _unique("probe")
    created = await stores.tenants.create(base, "us-east-1")
    assert created.tenant.slug == base
    for collision in (base.replace("-", "_"), base.replace("-", " ").title(), base.upper()):
        with pytest.raises(TenantExistsError, match=base):
            await stores.tenants.create(collision, "us-east-1")
    spaced = await stores.tenants.create(_unique("Probe B").replace("-", " "), "us-east-1")
    assert spaced.tenant.slug == canonical_slug(spaced.tenant.name)
    assert (await stores.tenants.get(spaced.tenant.slug)).id == spaced.tenant.id


async def test_instances_are_bound_at_creation_and_replaced_by_update(stores: Stores) -> None:
    first, second = INSTANCE.format(uuid.uuid4()), INSTANCE.format(uuid.uuid4())
    issued = await stores.tenants.create(_unique("bound"), "us-east-1", [first])
    assert issued.tenant.connect_instances == (first,)
    by_key = await stores.tenants.by_api_key(issued.api_key)
    assert by_key is not None and by_key.connect_instances == (first,)

    updated = await stores.tenants.set_connect_instances(issued.tenant.name, [first, second])
    assert updated.connect_instances == (first, second)
    cleared = await stores.tenants.set_connect_instances(issued.tenant.id, [])
    assert cleared.connect_instances == ()
    with pytest.raises(InvalidTenantError):
        await stores.tenants.set_connect_instances(issued.tenant.id, ["not-an-arn"])
    with pytest.raises(LookupError):
        await stores.tenants.set_connect_instances(_unique("nobody"), [first])


async def test_temporary_key_is_revoked_however_the_run_ends(stores: Stores) -> None:
    issued = await stores.tenants.create(_unique("runs"), "us-east-1")
    with pytest.raises(RuntimeError):
        async with stores.tenants.temporary_key(issued.tenant.name) as run:
            assert await stores.tenants.by_api_key(run.api_key) is not None
            raise RuntimeError("the run failed")
    assert await stores.tenants.by_api_key(run.api_key) is None
    # The tenant's own key was never touched.
    assert await stores.tenants.by_api_key(issued.api_key) is not None
    assert await stores.tenants.revoke_key(run.api_key) is False


async def test_existing_tenants_get_unique_slugs_from_the_migration(stores: Stores) -> None:
    """Re-runs the migration's backfill on rows as the old schema allowed them."""
    migration = next(m for m in load_migrations() if m.name == "tenant_seal")
    suffix = uuid.uuid4().hex[:8]
    async with stores.pool.acquire() as conn, conn.transaction():
        await conn.execute("CREATE TEMP TABLE tenants (LIKE public.tenants) ON COMMIT DROP")
        await conn.execute("ALTER TABLE tenants DROP COLUMN slug, DROP COLUMN connect_instances")
        for i, name in enumerate((f"old-{suffix}", f"Old_{suffix}", "!!!")):
            await conn.execute(
                "INSERT INTO tenants (id, name, region, created_at)"
                " VALUES ($1, $2, 'us-east-1', now() + $3 * interval '1 second')",
                f"id{i}",
                name,
                i,
            )
        # The temporary table shadows the real one, so the backfill runs on these rows only.
        await conn.execute(migration.sql)
        rows = await conn.fetch("SELECT id, slug FROM tenants ORDER BY id")
    assert [r["slug"] for r in rows] == [f"old-{suffix}", f"old-{suffix}-id1", "t-id2"]
