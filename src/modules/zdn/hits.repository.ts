import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import { audienceSql, type MarkedObject } from '#modules/access/policy.ts';

export interface HitRow {
  indicator_id: string;
  organisation_id: string;
  type: string;
  value: string;
  asset: string;
}

/**
 * Stores the hits of these indicators (those of the marking's TLP) on approved assets of active
 * members the marking reaches, and returns only the new ones: a hit is told once.
 */
export async function insertHits(db: Kysely<DB>, marked: MarkedObject, indicatorIds: readonly string[]): Promise<HitRow[]> {
  const r = await sql<HitRow>`
    WITH found AS (
      SELECT DISTINCT ON (i.id, a.organisation_id) i.id AS indicator_id, a.organisation_id, a.id AS asset_id, v.type, v.value, a.value AS asset
      -- Lateral probes by id: however stale the statistics, never a scan of every indicator.
      FROM unnest(${indicatorIds}::uuid[]) AS u(id)
      CROSS JOIN LATERAL (SELECT x.id, x.value_id, x.tlp FROM zdn_indicators x WHERE x.id = u.id) i
      CROSS JOIN LATERAL (SELECT y.type, y.value, y.range_start, y.range_end, y.host FROM zdn_values y WHERE y.id = i.value_id) v
      JOIN assets a ON a.status = 'approved' AND (
        (a.type = 'ip_range' AND v.range_start IS NOT NULL AND a.range_start <= v.range_end AND a.range_end >= v.range_start)
        OR (a.type = 'domain' AND v.host IS NOT NULL AND (v.host = a.value OR (a.include_subdomains AND v.host LIKE '%.' || a.value))))
      JOIN organisations o ON o.id = a.organisation_id AND o.membership_status = 'active'
      WHERE i.tlp = ${marked.tlp}
        AND ${audienceSql(marked, { organisationId: 'o.id', organisationKind: 'o.kind', userId: null })}
      ORDER BY i.id, a.organisation_id, a.created_at
    ), stored AS (
      INSERT INTO zdn_hits (indicator_id, organisation_id, asset_id)
      SELECT indicator_id, organisation_id, asset_id FROM found
      ON CONFLICT DO NOTHING RETURNING indicator_id, organisation_id
    )
    SELECT s.indicator_id, s.organisation_id, f.type, f.value, f.asset FROM stored s
    JOIN found f ON f.indicator_id = s.indicator_id AND f.organisation_id = s.organisation_id`.execute(db);
  return r.rows;
}

export async function activeUsers(db: Kysely<DB>, organisationId: string) {
  return db.selectFrom('users').select('id').where('organisation_id', '=', organisationId).where('status', '=', 'active').execute();
}

/** Contacts who asked for detection-network or operational alerts, at addresses that still work. */
export async function detectionContacts(db: Kysely<DB>, organisationId: string) {
  return db
    .selectFrom('contacts')
    .select(['id', 'email'])
    .where('organisation_id', '=', organisationId)
    .where(sql<boolean>`subscriptions && ARRAY['zdn', 'operational_alerts']::text[]`)
    .where('email_failing_since', 'is', null)
    .execute();
}

export async function hitsOf(db: Kysely<DB>, organisationId: string, limit = 100) {
  return db
    .selectFrom('zdn_hits as h')
    .innerJoin('zdn_indicators as i', 'i.id', 'h.indicator_id')
    .innerJoin('zdn_values as v', 'v.id', 'i.value_id')
    .select(['h.indicator_id', 'h.organisation_id', 'h.created_at', 'v.type', 'v.value', 'i.tlp'])
    .where('h.organisation_id', '=', organisationId)
    .orderBy('h.created_at', 'desc')
    .limit(limit)
    .execute();
}
