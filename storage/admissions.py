"""Admission control: each tenant's cap on calls running at once, held in PostgreSQL.

A contact-flow event admits its call before the call's workflow starts, so a burst of
Lambda invocations cannot all slip under the cap between a count and a start: admitting
takes a per-tenant transaction lock, counts the admissions still held and inserts one.
An admission is held until the call's row says it finished; one whose call row never
appeared (its workflow never started or never recorded itself) is held for a grace period
only, so a lost start cannot wedge a tenant at its cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

import asyncpg

# Long enough for a started call to record its row through a PostgreSQL hiccup (the call
# retries that write with backoff); short enough that a start that never happened frees
# its place within minutes.
UNRECORDED_GRACE = timedelta(minutes=10)

# Admissions still held: the call has not finished, or has no row yet and is recent.
_HELD = (
    "SELECT count(*) FROM call_admissions a"
    " LEFT JOIN calls c ON c.tenant_id = a.tenant_id AND c.call_id = a.call_id"
    " WHERE a.tenant_id = $1 AND a.released_at IS NULL AND a.call_id <> $2"
    " AND (c.status IN ('active', 'ending')"
    "      OR (c.call_id IS NULL AND a.admitted_at > now() - $3::interval))"
)


class Admission(StrEnum):
    ADMITTED = "admitted"
    # Admitted before (a re-delivered event): it keeps its place, and starts nothing new.
    ALREADY_ADMITTED = "already_admitted"
    REFUSED = "refused"


@dataclass(frozen=True)
class AdmissionDecision:
    outcome: Admission
    in_use: int
    limit: int | None


class AdmissionStore:
    def __init__(self, *, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def admit(
        self, tenant_id: str, call_id: str, *, record_refusal: bool = True
    ) -> AdmissionDecision:
        """Admits the call unless its tenant is at its limit; a refusal is recorded unless
        the caller will reconcile and ask again (record_refusal=False)."""
        async with self._pool.acquire() as conn, conn.transaction():
            # Serialises admissions of one tenant only; other tenants never wait on it.
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('admit:' || $1))", tenant_id)
            limit = await conn.fetchval(
                "SELECT max_concurrent_calls FROM tenants WHERE id = $1", tenant_id
            )
            held = await conn.fetchrow(
                "SELECT released_at FROM call_admissions WHERE tenant_id = $1 AND call_id = $2",
                tenant_id,
                call_id,
            )
            in_use = int(await conn.fetchval(_HELD, tenant_id, call_id, UNRECORDED_GRACE))
            if held is not None and held["released_at"] is None:
                return AdmissionDecision(Admission.ALREADY_ADMITTED, in_use, limit)
            if limit is not None and in_use >= limit:
                if not record_refusal:
                    return AdmissionDecision(Admission.REFUSED, in_use, limit)
                await conn.execute(
                    "INSERT INTO admission_refusals (tenant_id, call_id, in_use, max_allowed)"
                    " VALUES ($1, $2, $3, $4)",
                    tenant_id,
                    call_id,
                    in_use,
                    limit,
                )
                return AdmissionDecision(Admission.REFUSED, in_use, limit)
            await conn.execute(
                "INSERT INTO call_admissions (tenant_id, call_id) VALUES ($1, $2)"
                " ON CONFLICT (tenant_id, call_id)"
                " DO UPDATE SET admitted_at = now(), released_at = NULL",
                tenant_id,
                call_id,
            )
            return AdmissionDecision(Admission.ADMITTED, in_use + 1, limit)

    async def release(self, tenant_id: str, call_ids: list[str]) -> int:
        """Frees the places of calls that are known not to be running (ops reconcile these:
        a call terminated from outside never records that it finished)."""
        result = await self._pool.execute(
            "UPDATE call_admissions SET released_at = now()"
            " WHERE tenant_id = $1 AND call_id = ANY($2::text[]) AND released_at IS NULL",
            tenant_id,
            call_ids,
        )
        return int(result.rsplit(" ", 1)[-1])

    async def held(self, tenant_id: str, admitted_before_s: float) -> list[str]:
        """Calls holding a place that were admitted more than admitted_before_s ago."""
        rows = await self._pool.fetch(
            "SELECT call_id FROM call_admissions"
            " WHERE tenant_id = $1 AND released_at IS NULL"
            " AND admitted_at < now() - make_interval(secs => $2)",
            tenant_id,
            admitted_before_s,
        )
        return [row["call_id"] for row in rows]

    async def in_use(self, tenant_id: str) -> int:
        return int(await self._pool.fetchval(_HELD, tenant_id, "", UNRECORDED_GRACE))

    async def refusals(self, tenant_id: str, since_s: int = 3600) -> int:
        """Refusals of the tenant in the last since_s seconds."""
        return int(
            await self._pool.fetchval(
                "SELECT count(*) FROM admission_refusals"
                " WHERE tenant_id = $1 AND refused_at > now() - make_interval(secs => $2)",
                tenant_id,
                since_s,
            )
        )
