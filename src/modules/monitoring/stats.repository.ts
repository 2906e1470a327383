import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';

const OPEN = sql`('new', 'notified', 'acknowledged')`;
const orgFilter = (organisationId: string | null) => (organisationId ? sql`AND f.organisation_id = ${organisationId}::uuid` : sql``);

/**
 * Per day, at its end: the findings open (seen by then and not closed by then), and the findings
 * under accepted risk (accepted by then). A finding closes when it is resolved (resolved_at) or its
 * risk accepted: its latest status change to accepted_risk in its history; updated_at (which a
 * later sighting also moves) only stands in for a finding without one. Both series read the same
 * closing time, so no finding counts in both on one day.
 */
export async function openPerDay(db: Kysely<DB>, organisationId: string | null, days: number) {
  const r = await sql<{ day: string; open: number; acceptedRisk: number }>`
    WITH f AS (
      SELECT f.first_seen, f.status,
        CASE
          WHEN f.status IN ${OPEN} THEN NULL
          WHEN f.status = 'accepted_risk' THEN coalesce(
            (SELECT max(e.at) FROM monitoring_finding_events e WHERE e.finding_id = f.id AND e.kind = 'status' AND e.to_status = 'accepted_risk'),
            f.updated_at)
          ELSE coalesce(f.resolved_at, f.updated_at)
        END AS closed_at
      FROM monitoring_findings f
      WHERE true ${orgFilter(organisationId)}
    )
    SELECT to_char(d, 'YYYY-MM-DD') AS day,
      (SELECT count(*)::int FROM f WHERE f.first_seen < d + interval '1 day' AND (f.closed_at IS NULL OR f.closed_at >= d + interval '1 day')) AS open,
      (SELECT count(*)::int FROM f WHERE f.status = 'accepted_risk' AND f.closed_at < d + interval '1 day') AS "acceptedRisk"
    FROM generate_series(date_trunc('day', now()) - ${days - 1} * interval '1 day', date_trunc('day', now()), interval '1 day') AS d
    ORDER BY d`.execute(db);
  return r.rows;
}

export async function countByStatus(db: Kysely<DB>, organisationId: string | null): Promise<Record<string, number>> {
  const r = await sql<{
    status: string;
    n: number;
  }>`SELECT f.status, count(*)::int AS n FROM monitoring_findings f WHERE true ${orgFilter(organisationId)} GROUP BY f.status`.execute(db);
  const out: Record<string, number> = { new: 0, notified: 0, acknowledged: 0, resolved: 0, accepted_risk: 0 };
  for (const row of r.rows) out[row.status] = row.n;
  return out;
}

export async function openByType(db: Kysely<DB>, organisationId: string | null) {
  const r = await sql<{ type: string; open: number; critical: number }>`
    SELECT f.type, count(*)::int AS open, count(*) FILTER (WHERE f.severity IN ('high', 'critical'))::int AS critical
    FROM monitoring_findings f WHERE f.status IN ${OPEN} ${orgFilter(organisationId)}
    GROUP BY f.type ORDER BY open DESC, f.type LIMIT 20`.execute(db);
  return r.rows;
}

export async function meanTimeToResolveHours(db: Kysely<DB>, organisationId: string | null): Promise<number | null> {
  const r = await sql<{ hours: number | null }>`
    SELECT round((avg(extract(epoch FROM f.resolved_at - f.first_seen)) / 3600)::numeric, 1)::float8 AS hours
    FROM monitoring_findings f WHERE f.status = 'resolved' AND f.resolved_at IS NOT NULL ${orgFilter(organisationId)}`.execute(db);
  return r.rows[0]?.hours ?? null;
}

export async function topOrganisations(db: Kysely<DB>, limit: number) {
  const r = await sql<{ organisation_id: string; name: string; open: number; critical: number }>`
    SELECT f.organisation_id, o.name, count(*)::int AS open, count(*) FILTER (WHERE f.severity IN ('high', 'critical'))::int AS critical
    FROM monitoring_findings f JOIN organisations o ON o.id = f.organisation_id
    WHERE f.status IN ${OPEN} GROUP BY f.organisation_id, o.name ORDER BY open DESC, o.name LIMIT ${limit}`.execute(db);
  return r.rows.map((x) => ({ organisationId: x.organisation_id, name: x.name, open: x.open, critical: x.critical }));
}

export async function sourceHealth(db: Kysely<DB>) {
  const r = await sql<{
    id: string;
    kind: string;
    name: string;
    enabled: boolean;
    last_run_at: Date | null;
    last_rows: number;
    last_errors: number;
    last_error: string | null;
    open_findings: number;
  }>`
    SELECT s.id, s.kind, s.name, s.enabled, s.last_run_at, s.last_rows, s.last_errors, s.last_error,
      (SELECT count(*)::int FROM monitoring_findings f WHERE s.name = ANY(f.sources) AND f.status IN ${OPEN}) AS open_findings
    FROM monitoring_sources s ORDER BY s.kind, s.name`.execute(db);
  return r.rows;
}
