import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import { audienceSql, type MarkedObject } from '#modules/access/policy.ts';

export interface NetworkAsset {
  id: string;
  organisation_id: string;
  type: 'ip_range' | 'domain';
  value: string;
  include_subdomains: boolean;
  range_start: string | null;
  range_end: string | null;
}

/** The approved IP ranges and domains of active members: what an indicator can hit. */
export async function networkAssets(db: Kysely<DB>): Promise<NetworkAsset[]> {
  // Kysely does not narrow a column's type on a WHERE: $narrowType states what the type filter guarantees, for that column only.
  return db
    .selectFrom('assets as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['a.id', 'a.organisation_id', 'a.type', 'a.value', 'a.include_subdomains', 'a.range_start', 'a.range_end'])
    .where('a.status', '=', 'approved')
    .where('a.type', 'in', ['ip_range', 'domain'])
    .$narrowType<{ type: NetworkAsset['type'] }>()
    .where('o.membership_status', '=', 'active')
    .orderBy('a.created_at')
    .execute();
}

export interface HitCandidate {
  indicatorId: string;
  organisationId: string;
  assetId: string;
}

/**
 * Stores the hits whose organisation the marking reaches (the audience rule in SQL) and returns
 * only the new ones: a hit is told once.
 */
export async function insertHits(db: Kysely<DB>, marked: MarkedObject, candidates: readonly HitCandidate[]): Promise<HitCandidate[]> {
  if (candidates.length === 0) return [];
  const r = await sql<{ indicator_id: string; organisation_id: string; asset_id: string }>`
    INSERT INTO zdn_hits (indicator_id, organisation_id, asset_id)
    SELECT c.indicator_id, c.organisation_id, c.asset_id
    FROM unnest(${candidates.map((c) => c.indicatorId)}::uuid[], ${candidates.map((c) => c.organisationId)}::uuid[], ${candidates.map((c) => c.assetId)}::uuid[])
      AS c(indicator_id, organisation_id, asset_id)
    JOIN organisations o ON o.id = c.organisation_id
    WHERE ${audienceSql(marked, { organisationId: 'o.id', organisationKind: 'o.kind', userId: null })}
    ON CONFLICT DO NOTHING RETURNING indicator_id, organisation_id, asset_id`.execute(db);
  return r.rows.map((x) => ({ indicatorId: x.indicator_id, organisationId: x.organisation_id, assetId: x.asset_id }));
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
