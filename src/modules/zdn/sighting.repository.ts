import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';

export async function insertSighting(
  db: Kysely<DB>,
  s: { valueId: number; indicatorId: string; organisationId: string; userId: string | null; kind: 'seen' | 'blocked' | 'false-positive'; count: number; seenAt: string; shareIdentity: boolean },
) {
  return db
    .insertInto('zdn_sightings')
    .values({ value_id: s.valueId, indicator_id: s.indicatorId, organisation_id: s.organisationId, user_id: s.userId, kind: s.kind, count: s.count, seen_at: s.seenAt, share_identity: s.shareIdentity })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** Whether this organisation has reported this value a false positive before. */
export async function reportedFalsePositive(db: Kysely<DB>, valueId: number, organisationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('zdn_sightings')
    .select('id')
    .where('value_id', '=', valueId)
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', 'false-positive')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export interface SightingCounts {
  organisations24h: number;
  organisations7d: number;
  organisationsTotal: number;
  sightings: number;
  falsePositives: number;
  lastSeenAt: Date | null;
}

/** "Seen at N organisations": distinct organisations per window, over every event holding the value. */
export async function sightingCounts(db: Kysely<DB>, valueIds: readonly number[]): Promise<Map<number, SightingCounts>> {
  const out = new Map<number, SightingCounts>();
  if (valueIds.length === 0) return out;
  const r = await sql<SightingCounts & { value_id: number }>`SELECT value_id,
      count(DISTINCT organisation_id) FILTER (WHERE kind <> 'false-positive' AND seen_at > now() - interval '24 hours')::int AS "organisations24h",
      count(DISTINCT organisation_id) FILTER (WHERE kind <> 'false-positive' AND seen_at > now() - interval '7 days')::int AS "organisations7d",
      count(DISTINCT organisation_id) FILTER (WHERE kind <> 'false-positive')::int AS "organisationsTotal",
      coalesce(sum(count) FILTER (WHERE kind <> 'false-positive'), 0)::int AS sightings,
      count(*) FILTER (WHERE kind = 'false-positive')::int AS "falsePositives",
      max(seen_at) FILTER (WHERE kind <> 'false-positive') AS "lastSeenAt"
    FROM zdn_sightings WHERE value_id = ANY(${valueIds}::bigint[]) GROUP BY value_id`.execute(db);
  for (const row of r.rows) out.set(Number(row.value_id), row);
  return out;
}

/** The latest sighting per organisation of a value; `namedOnly` keeps those that chose to be named. */
export async function sightingOrganisations(db: Kysely<DB>, valueId: number, namedOnly: boolean) {
  const r = await sql<{ organisation_id: string; name: string; kind: 'seen' | 'blocked' | 'false-positive'; seen_at: Date }>`
    SELECT DISTINCT ON (s.organisation_id) s.organisation_id, o.name, s.kind, s.seen_at
    FROM zdn_sightings s JOIN organisations o ON o.id = s.organisation_id
    WHERE s.value_id = ${valueId} ${namedOnly ? sql`AND s.share_identity` : sql``}
    ORDER BY s.organisation_id, s.seen_at DESC LIMIT 200`.execute(db);
  return r.rows;
}
