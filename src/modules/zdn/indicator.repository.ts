import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { Actor } from '#modules/access/actor.ts';
import { tlpVisibilitySql } from '#modules/access/policy.ts';
import { cursorTimestamp, decodeCursor, encodeCursor } from '#server/pagination.ts';
import type { Tlp } from '#lib/tlp.ts';
import type { IndicatorType } from './indicator-types.ts';
import type { Pap } from './zdn.schema.ts';
import { escapeLike } from '#db/like.ts';

/** Indicators are marked per indicator and take their recipients from their event. */
export const EVENT_OBJECT_TYPE = 'zdn_event';

export const visibleIndicator = (actor: Actor | null, alias = 'i') =>
  tlpVisibilitySql(actor, EVENT_OBJECT_TYPE, { id: `${alias}.event_id`, tlp: `${alias}.tlp`, owner: `${alias}.owner_organisation_id` });

/** Writers of indicators take this lock first, so change sequence numbers and TAXII date_added become visible in order. */
export async function lockChangeLog(db: Kysely<DB>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('zdn_changes'))`.execute(db);
}

export interface ValueRow {
  type: IndicatorType;
  value: string;
  rangeStart: string | null;
  rangeEnd: string | null;
  host: string | null;
  pattern: string | null;
  patternType: string | null;
}

export const valueKey = (type: string, value: string) => `${type}\u0000${value}`;

/**
 * The stored value for each row of `u(type, value)`, as `v`: a lateral probe per value through the
 * unique index (OFFSET 0: not flattened into a join that may hash the whole table).
 */
const storedValue = sql`CROSS JOIN LATERAL (SELECT z.id, z.type, z.value FROM zdn_values z
  WHERE z.type = u.type AND md5(z.value) = md5(u.value) AND z.value = u.value OFFSET 0) v`;

const byKey = (a: ValueRow, b: ValueRow) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0);

/**
 * Stores the distinct values (correlation) and returns the id of each, new or existing. Values are
 * inserted in one order everywhere, so two transactions storing some of the same new values wait
 * for each other instead of deadlocking.
 */
export async function upsertValues(db: Kysely<DB>, unordered: readonly ValueRow[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (unordered.length === 0) return ids;
  const rows = [...unordered].sort(byKey);
  const col = <K extends keyof ValueRow>(k: K) => rows.map((r) => r[k]);
  // One statement: the new values come back from the insert, the ones stored before from the probe,
  // which reads the statement's snapshot and so cannot see the rows the insert adds.
  const found = await sql<{ id: number; type: string; value: string }>`WITH u AS (
      SELECT * FROM unnest(${col('type')}::text[], ${col('value')}::text[], ${col('rangeStart')}::text[], ${col('rangeEnd')}::text[],
        ${col('host')}::text[], ${col('pattern')}::text[], ${col('patternType')}::text[]) AS u(type, value, range_start, range_end, host, pattern, pattern_type)),
    added AS (INSERT INTO zdn_values (type, value, range_start, range_end, host, pattern, pattern_type) SELECT * FROM u
      ON CONFLICT (type, md5(value)) DO NOTHING RETURNING id, type, value)
    SELECT id, type, value FROM added
    UNION ALL
    SELECT v.id, v.type, v.value FROM u ${storedValue}`.execute(db);
  for (const r of found.rows) ids.set(valueKey(r.type, r.value), Number(r.id));
  // A value another transaction stored after this statement began (the insert waited for it, then
  // skipped it) is in neither part: read those again with a fresh snapshot.
  const missing = rows.filter((r) => !ids.has(valueKey(r.type, r.value)));
  if (missing.length) {
    const again = await sql<{ id: number; type: string; value: string }>`SELECT v.id, v.type, v.value
      FROM unnest(${missing.map((r) => r.type)}::text[], ${missing.map((r) => r.value)}::text[]) AS u(type, value) ${storedValue}`.execute(db);
    for (const r of again.rows) ids.set(valueKey(r.type, r.value), Number(r.id));
  }
  return ids;
}

/** A PostgreSQL array literal of strings ('{"a","b \\"c\\""}'): every element quoted, quotes and backslashes escaped. */
export function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

export interface IndicatorRowInput {
  eventId: string;
  valueId: number;
  owner: string;
  tlp: Tlp;
  pap: Pap;
  confidence: number;
  firstSeen: string | null;
  lastSeen: string | null;
  validUntil: string | null;
  /** False when validUntil is the type's default: a re-import then keeps the lifetime already set. */
  validUntilGiven: boolean;
  tags: string[];
  comment: string;
  status: 'active' | 'pending' | 'held';
  warning: string | null;
  createdBy: string | null;
  forDetection: boolean;
}

/**
 * Inserts indicators, or updates the ones the event already holds when something changed (an
 * unchanged re-import writes nothing and so tells no stream). Returns what was written.
 */
export async function upsertIndicators(db: Kysely<DB>, rows: readonly IndicatorRowInput[]) {
  if (rows.length === 0) return [];
  const col = <K extends keyof IndicatorRowInput>(k: K) => rows.map((r) => r[k]);
  // Tags are text[] per row, and unnest cannot take an array of arrays: each row's tags travel as an
  // array literal and are cast back (cheaper per row than unpacking JSON).
  const tags = rows.map((r) => arrayLiteral(r.tags));
  const result = await sql<{ id: string; value_id: number; status: string; inserted: boolean }>`
    INSERT INTO zdn_indicators AS i (event_id, value_id, owner_organisation_id, tlp, pap, confidence, first_seen, last_seen,
      valid_until, tags, comment, status, warning, created_by, for_detection)
    SELECT u.event_id, u.value_id, u.owner, u.tlp, u.pap, u.confidence, u.first_seen, u.last_seen,
      -- A default lifetime does not replace the one an indicator already has (re-imports stay unchanged).
      CASE WHEN u.given OR x.id IS NULL THEN u.valid_until ELSE x.valid_until END,
      u.tags::text[], u.comment, u.status, u.warning, u.created_by, u.for_detection
    FROM unnest(${col('eventId')}::uuid[], ${col('valueId')}::bigint[], ${col('owner')}::uuid[], ${col('tlp')}::text[], ${col('pap')}::text[],
      ${col('confidence')}::smallint[], ${col('firstSeen')}::timestamptz[], ${col('lastSeen')}::timestamptz[], ${col('validUntil')}::timestamptz[],
      ${col('comment')}::text[], ${col('status')}::text[], ${col('warning')}::text[], ${col('createdBy')}::uuid[], ${col('validUntilGiven')}::boolean[], ${tags}::text[],
      ${col('forDetection')}::boolean[])
      AS u(event_id, value_id, owner, tlp, pap, confidence, first_seen, last_seen, valid_until, comment, status, warning, created_by, given, tags, for_detection)
    LEFT JOIN LATERAL (SELECT x.id, x.valid_until FROM zdn_indicators x WHERE x.event_id = u.event_id AND x.value_id = u.value_id OFFSET 0) x ON true
    ON CONFLICT (event_id, value_id) DO UPDATE SET
      tlp = EXCLUDED.tlp, pap = EXCLUDED.pap, confidence = EXCLUDED.confidence,
      first_seen = LEAST(i.first_seen, EXCLUDED.first_seen), last_seen = GREATEST(i.last_seen, EXCLUDED.last_seen),
      valid_until = EXCLUDED.valid_until, tags = EXCLUDED.tags, comment = EXCLUDED.comment, for_detection = EXCLUDED.for_detection,
      modified_at = now(), date_added = clock_timestamp(), expired_noted_at = NULL
    WHERE (i.tlp, i.pap, i.confidence, i.valid_until, i.tags, i.comment, i.for_detection) IS DISTINCT FROM
      (EXCLUDED.tlp, EXCLUDED.pap, EXCLUDED.confidence, EXCLUDED.valid_until, EXCLUDED.tags, EXCLUDED.comment, EXCLUDED.for_detection)
      OR EXCLUDED.last_seen > i.last_seen OR EXCLUDED.first_seen < i.first_seen
    RETURNING i.id, i.value_id, i.status, (xmax = 0) AS inserted`.execute(db);
  return result.rows.map((r) => ({ ...r, value_id: Number(r.value_id) }));
}

export async function insertChanges(db: Kysely<DB>, changes: readonly { indicatorId: string; change: 'new' | 'changed' | 'expired' | 'revoked' }[]): Promise<number | null> {
  if (changes.length === 0) return null;
  const r = await sql<{ seq: number }>`INSERT INTO zdn_changes (indicator_id, change)
    SELECT * FROM unnest(${changes.map((c) => c.indicatorId)}::uuid[], ${changes.map((c) => c.change)}::text[])
    RETURNING seq`.execute(db);
  return Math.max(...r.rows.map((x) => Number(x.seq)));
}

const indicatorColumns = sql`i.id, i.event_id, e.title AS event_title, v.type, v.value, i.tlp, i.pap, i.confidence, i.first_seen, i.last_seen,
  i.valid_from, i.valid_until, i.tags, i.comment, i.status, i.warning, i.owner_organisation_id, e.source_anonymous, i.created_at,
  i.modified_at, i.value_id, (i.valid_until IS NOT NULL AND i.valid_until < now()) AS expired, i.for_detection`;

export interface IndicatorRow {
  id: string;
  event_id: string;
  event_title: string;
  type: IndicatorType;
  value: string;
  tlp: Tlp;
  pap: Pap;
  confidence: number;
  first_seen: Date | null;
  last_seen: Date | null;
  valid_from: Date;
  valid_until: Date | null;
  tags: string[];
  comment: string;
  status: 'active' | 'pending' | 'held' | 'rejected';
  warning: string | null;
  owner_organisation_id: string;
  source_anonymous: boolean;
  created_at: Date;
  modified_at: Date;
  value_id: number;
  expired: boolean;
  for_detection: boolean;
}

/**
 * Which statuses a reader sees: shared indicators under TLP; pending and held ones only to the CERT
 * and to the organisation that submitted them.
 */
function statusVisibility(actor: Actor, certStaff: boolean) {
  if (certStaff) return sql<boolean>`true`;
  return sql<boolean>`(i.status = 'active' OR i.owner_organisation_id = ${actor.organisationId})`;
}

export async function listVisibleIndicators(
  db: Kysely<DB>,
  actor: Actor,
  certStaff: boolean,
  q: { q?: string | undefined; type?: string | undefined; eventId?: string | undefined; status?: string | undefined; includeExpired: boolean; cursor?: string | undefined; limit: number },
) {
  const after = decodeCursor(q.cursor);
  const conditions = [visibleIndicator(actor), statusVisibility(actor, certStaff)];
  if (q.type) conditions.push(sql<boolean>`v.type = ${q.type}`);
  if (q.eventId) conditions.push(sql<boolean>`i.event_id = ${q.eventId}::uuid`);
  if (q.status) conditions.push(sql<boolean>`i.status = ${q.status}`);
  if (!q.includeExpired) conditions.push(sql<boolean>`(i.valid_until IS NULL OR i.valid_until >= now())`);
  if (q.q) conditions.push(sql<boolean>`v.value ILIKE '%' || ${escapeLike(q.q.toLowerCase())} || '%' ESCAPE '\\'`);
  if (after) conditions.push(sql<boolean>`(i.created_at, i.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await sql<IndicatorRow & { cursor_at: string }>`SELECT ${indicatorColumns}, ${cursorTimestamp('i.created_at')} AS cursor_at
    FROM zdn_indicators i JOIN zdn_values v ON v.id = i.value_id JOIN zdn_events e ON e.id = i.event_id
    WHERE ${sql.join(conditions, sql` AND `)}
    ORDER BY i.created_at DESC, i.id DESC LIMIT ${q.limit + 1}`.execute(db);
  const page = rows.rows.slice(0, q.limit).map(normaliseRow);
  const last = rows.rows[q.limit - 1];
  return { rows: page, nextCursor: rows.rows.length > q.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}

export async function findIndicator(db: Kysely<DB>, id: string): Promise<IndicatorRow | undefined> {
  const r = await sql<IndicatorRow>`SELECT ${indicatorColumns} FROM zdn_indicators i JOIN zdn_values v ON v.id = i.value_id
    JOIN zdn_events e ON e.id = i.event_id WHERE i.id = ${id}::uuid`.execute(db);
  return r.rows[0] ? normaliseRow(r.rows[0]) : undefined;
}

/** The indicators holding one value that the actor may see (for sightings by value). */
export async function visibleIndicatorsOfValue(db: Kysely<DB>, actor: Actor, type: string, value: string) {
  const r = await sql<{ id: string; value_id: number }>`SELECT i.id, i.value_id FROM zdn_indicators i JOIN zdn_values v ON v.id = i.value_id
    WHERE v.type = ${type} AND md5(v.value) = md5(${value}) AND v.value = ${value} AND i.status = 'active' AND ${visibleIndicator(actor)}
    ORDER BY i.created_at`.execute(db);
  return r.rows.map((x) => ({ id: x.id, valueId: Number(x.value_id) }));
}

/** "Also in N events": per value, the other events the actor may see that hold it. */
export async function correlationCounts(db: Kysely<DB>, actor: Actor, rows: readonly { id: string; value_id: number }[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (rows.length === 0) return counts;
  const r = await sql<{ id: string; n: number }>`SELECT u.id, count(DISTINCT i.event_id)::int AS n
    FROM unnest(${rows.map((x) => x.id)}::uuid[], ${rows.map((x) => x.value_id)}::bigint[]) AS u(id, value_id)
    JOIN zdn_indicators i ON i.value_id = u.value_id AND i.id <> u.id AND i.status = 'active' AND ${visibleIndicator(actor)}
    GROUP BY u.id`.execute(db);
  for (const x of r.rows) counts.set(x.id, Number(x.n));
  return counts;
}

export async function setStatus(db: Kysely<DB>, id: string, status: 'active' | 'rejected', comment?: string) {
  await db
    .updateTable('zdn_indicators')
    .set({ status, modified_at: sql`now()`, date_added: sql`clock_timestamp()`, ...(comment ? { comment } : {}) })
    .where('id', '=', id)
    .execute();
}

export async function lowerConfidence(db: Kysely<DB>, valueId: number, by: number) {
  return db
    .updateTable('zdn_indicators')
    .set({ confidence: sql`GREATEST(0, confidence - ${by})`, modified_at: sql`now()`, date_added: sql`clock_timestamp()` })
    .where('value_id', '=', valueId)
    .where('status', '=', 'active')
    .returning(['id', 'event_id'])
    .execute();
}

/** Marks indicators whose lifetime ended, once, and returns them for the change log. */
export async function noteExpired(db: Kysely<DB>, limit: number) {
  const r = await sql<{ id: string; status: string }>`UPDATE zdn_indicators SET expired_noted_at = now()
    WHERE id IN (SELECT id FROM zdn_indicators WHERE expired_noted_at IS NULL AND valid_until IS NOT NULL AND valid_until < now()
      ORDER BY valid_until LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id, status`.execute(db);
  // Only shared indicators were ever in a stream; the rest are just marked so the sweep passes them by.
  return { noted: r.rows.length, activeIds: r.rows.filter((x) => x.status === 'active').map((x) => x.id) };
}

function normaliseRow<T extends IndicatorRow>(r: T): T {
  return { ...r, value_id: Number(r.value_id), confidence: Number(r.confidence) };
}
