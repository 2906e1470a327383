import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { Actor } from '#modules/access/actor.ts';
import { auditedRead, TLP_LEVELS, tlpRank, type Tlp } from '#lib/tlp.ts';
import { stixObjectJson, type StixSourceRow } from './stix.presenter.ts';
import { visibleIndicator } from './indicator.repository.ts';

/**
 * The read side of every feed (TAXII, MISP, exports): shared, unexpired indicators the reader may
 * see under TLP, up to a ceiling the feed sets (a partner collection never carries AMBER+STRICT).
 */
export function feedConditions(actor: Actor | null, ceiling: Tlp): RawBuilder<boolean>[] {
  const allowed = TLP_LEVELS.filter((t) => tlpRank(t) <= tlpRank(ceiling));
  return [
    sql<boolean>`i.status = 'active'`,
    sql<boolean>`(i.valid_until IS NULL OR i.valid_until >= now())`,
    sql<boolean>`i.tlp IN (${sql.join(allowed)})`,
    visibleIndicator(actor),
  ];
}

const stixTime = (column: string) => sql`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const microTime = (column: string) => sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The STIX type an indicator row is emitted as. */
export const stixTypeSql = sql<string>`CASE WHEN v.type = 'cve' THEN 'vulnerability' ELSE 'indicator' END`;

/**
 * The columns `stixObjectJson` renders a row from. The timestamps are formatted here (cheap in
 * PostgreSQL); the JSON is written in the application, which is several times faster than
 * json_build_object for a page of a thousand objects.
 */
const stixColumns = sql`i.id, v.type, v.value, v.pattern, v.pattern_type, i.tlp, i.confidence, i.tags,
  ${stixTime('i.created_at')} AS created, ${stixTime('i.modified_at')} AS modified, ${stixTime('i.valid_from')} AS valid_from,
  CASE WHEN i.valid_until > i.valid_from THEN ${stixTime('i.valid_until')} END AS valid_until`;

export interface TaxiiQuery {
  ceiling: Tlp;
  after: { at: string; id: string } | null;
  addedAfter: string | null;
  ids: string[] | null;
  types: string[] | null;
  versions: string[] | null;
  limit: number;
}

function taxiiConditions(actor: Actor | null, q: TaxiiQuery): RawBuilder<boolean>[] {
  const c = feedConditions(actor, q.ceiling);
  // Only what STIX can express (values with a pattern, or CVEs as vulnerabilities) and is meant for detection.
  c.push(sql<boolean>`(v.pattern IS NOT NULL OR v.type = 'cve') AND i.for_detection`);
  if (q.after) c.push(sql<boolean>`(i.date_added, i.id) > (${q.after.at}::timestamptz, ${q.after.id}::uuid)`);
  if (q.addedAfter) c.push(sql<boolean>`i.date_added > ${q.addedAfter}::timestamptz`);
  if (q.ids) c.push(sql<boolean>`i.id = ANY(${q.ids}::uuid[])`);
  if (q.types) c.push(sql<boolean>`${stixTypeSql} = ANY(${q.types}::text[])`);
  if (q.versions) {
    // We keep the current version of each object: 'first', 'last' and 'all' all name it; a timestamp must match it.
    const stamps = q.versions.filter((v) => !['first', 'last', 'all'].includes(v));
    if (stamps.length === q.versions.length) c.push(sql<boolean>`date_trunc('milliseconds', i.modified_at) = ANY(${stamps}::timestamptz[])`);
  }
  return c;
}

export interface TaxiiRow extends StixSourceRow {
  added: string;
  stix_type: string;
}

/** One page of rows in date_added order (keyset: flat cost to the last page). */
function taxiiPageQuery(actor: Actor | null, q: TaxiiQuery) {
  return sql<TaxiiRow>`SELECT ${microTime('i.date_added')} AS added, ${stixTypeSql} AS stix_type, ${stixColumns}
    FROM zdn_indicators i JOIN zdn_values v ON v.id = i.value_id
    WHERE ${sql.join(taxiiConditions(actor, q), sql` AND `)}
    ORDER BY i.date_added, i.id LIMIT ${q.limit + 1}`;
}

export async function taxiiPage(db: Kysely<DB>, actor: Actor | null, q: TaxiiQuery): Promise<TaxiiRow[]> {
  return (await taxiiPageQuery(actor, q).execute(db)).rows;
}

/** Indicators of one event (or of all visible events) as STIX objects, for bundles. */
export async function stixObjectsOfEvent(db: Kysely<DB>, actor: Actor | null, identity: string, eventId: string): Promise<string[]> {
  const r = await sql<StixSourceRow>`SELECT ${stixColumns} FROM zdn_indicators i JOIN zdn_values v ON v.id = i.value_id
    WHERE i.event_id = ${eventId}::uuid AND (v.pattern IS NOT NULL OR v.type = 'cve') AND i.for_detection AND ${sql.join(feedConditions(actor, 'RED'), sql` AND `)}
    ORDER BY i.date_added, i.id`.execute(db);
  return r.rows.map((x) => stixObjectJson(x, identity));
}

export interface FeedIndicatorRow {
  id: string;
  seq: number;
  event_id: string;
  event_title: string;
  type: string;
  value: string;
  tlp: Tlp;
  confidence: number;
  comment: string;
  tags: string[];
  valid_until: Date | null;
  first_seen: Date | null;
  last_seen: Date | null;
  modified_at: Date;
  for_detection: boolean;
}

/**
 * Indicators for exports and the MISP feed, in a stable order. With `distinctValues` each value comes
 * once, as its first sharing: an export has one line per value, however many events hold it.
 */
export async function feedIndicators(
  db: Kysely<DB>,
  actor: Actor | null,
  q: { ceiling: Tlp; type?: string | undefined; eventIds?: readonly string[]; distinctValues?: boolean; detectionOnly?: boolean; limit: number },
): Promise<FeedIndicatorRow[]> {
  const c = feedConditions(actor, q.ceiling);
  if (q.detectionOnly) c.push(sql<boolean>`i.for_detection`);
  if (q.type) c.push(sql<boolean>`v.type = ${q.type}`);
  if (q.eventIds) c.push(sql<boolean>`i.event_id = ANY(${q.eventIds}::uuid[])`);
  const from = sql`FROM zdn_indicators i JOIN zdn_values v ON v.id = i.value_id JOIN zdn_events e ON e.id = i.event_id WHERE ${sql.join(c, sql` AND `)}`;
  const columns = sql`i.id, i.value_id AS seq, i.event_id, e.title AS event_title, v.type, v.value, i.tlp, i.confidence, i.comment,
      i.tags, i.valid_until, i.first_seen, i.last_seen, i.modified_at, i.for_detection`;
  // A value is one row of zdn_values, so its id keys the DISTINCT ON; that ordering picks the first
  // sharing of each, and the outer query puts the survivors back in the feed's order.
  const query = q.distinctValues
    ? sql<FeedIndicatorRow>`SELECT d.id, d.seq, d.event_id, d.event_title, d.type, d.value, d.tlp, d.confidence, d.comment,
        d.tags, d.valid_until, d.first_seen, d.last_seen, d.modified_at, d.for_detection
      FROM (SELECT DISTINCT ON (i.value_id) ${columns}, i.date_added ${from} ORDER BY i.value_id, i.date_added, i.id) d
      ORDER BY d.date_added, d.id LIMIT ${q.limit}`
    : sql<FeedIndicatorRow>`SELECT ${columns} ${from} ORDER BY i.date_added, i.id LIMIT ${q.limit}`;
  const r = await query.execute(db);
  return r.rows.map((x) => ({ ...x, seq: Number(x.seq), confidence: Number(x.confidence) }));
}

export interface FeedEventSummary {
  event_id: string;
  indicators: number;
  last_modified: Date;
  /** Whether one of them is marked AMBER or above: reading it is audited. */
  amber: boolean;
  /** `md5(value),event uuid` per indicator, a line each in feed order; null unless asked for. */
  hashes: string | null;
}

/**
 * Per event, what the MISP manifest and hashes.csv need of the indicators `feedIndicators` would
 * return (the same rows, up to the same limit), aggregated by PostgreSQL so that no indicator row
 * leaves the database. Events without such indicators have no summary.
 */
export async function feedEventSummaries(
  db: Kysely<DB>,
  actor: Actor | null,
  q: { ceiling: Tlp; eventIds: readonly string[]; limit: number; hashes: boolean },
): Promise<FeedEventSummary[]> {
  const c = feedConditions(actor, q.ceiling);
  c.push(sql<boolean>`i.event_id = ANY(${q.eventIds}::uuid[])`);
  const audited = TLP_LEVELS.filter(auditedRead);
  // md5() hashes the value's bytes in the database's encoding, UTF-8: the hash MISP computes of the value.
  const hashes = q.hashes ? sql`string_agg(md5(value) || ',' || event_id, E'\\n' ORDER BY date_added, id)` : sql`NULL::text`;
  const r = await sql<FeedEventSummary>`WITH feed AS (
      SELECT i.id, i.event_id, i.tlp, i.modified_at, i.date_added, v.value FROM zdn_indicators i JOIN zdn_values v ON v.id = i.value_id
      WHERE ${sql.join(c, sql` AND `)} ORDER BY i.date_added, i.id LIMIT ${q.limit})
    SELECT event_id, count(*) AS indicators, max(modified_at) AS last_modified, bool_or(tlp IN (${sql.join(audited)})) AS amber, ${hashes} AS hashes
    FROM feed GROUP BY event_id`.execute(db);
  return r.rows.map((x) => ({ ...x, indicators: Number(x.indicators) }));
}

export interface FeedEventRow {
  id: string;
  title: string;
  tlp: Tlp;
  event_date: string;
  threat_level: number;
  analysis: number;
  tags: string[];
  updated_at: Date;
  source_anonymous: boolean;
  owner_organisation_id: string;
  owner_name: string;
}

/** Events that hold at least one indicator the reader may get from feeds. */
export async function feedEvents(db: Kysely<DB>, actor: Actor | null, ceiling: Tlp, eventId?: string): Promise<FeedEventRow[]> {
  const r = await sql<FeedEventRow>`SELECT e.id, e.title, e.tlp, to_char(e.event_date, 'YYYY-MM-DD') AS event_date, e.threat_level, e.analysis, e.tags,
      e.updated_at, e.source_anonymous, e.owner_organisation_id, o.name AS owner_name
    FROM zdn_events e JOIN organisations o ON o.id = e.owner_organisation_id
    WHERE ${eventId ? sql`e.id = ${eventId}::uuid AND ` : sql``} EXISTS (SELECT 1 FROM zdn_indicators i JOIN zdn_values v ON v.id = i.value_id
      WHERE i.event_id = e.id AND ${sql.join(feedConditions(actor, ceiling), sql` AND `)})
    ORDER BY e.created_at, e.id`.execute(db);
  return r.rows.map((x) => ({ ...x, threat_level: Number(x.threat_level), analysis: Number(x.analysis) }));
}

const NO_CERT_IDENTITY = 'identity--00000000-0000-4000-8000-000000000000';

export async function certIdentity(db: Kysely<DB>): Promise<{ id: string; name: string }> {
  const cert = await db.selectFrom('organisations').select(['id', 'name']).where('kind', '=', 'cert').orderBy('created_at').executeTakeFirst();
  return { id: cert ? `identity--${cert.id}` : NO_CERT_IDENTITY, name: cert?.name ?? 'CERT' };
}

// The CERT organisation's id never changes once it exists, so each database handle asks once.
const certIdentityIds = new WeakMap<object, string>();

/** The STIX id of the CERT's identity (the creator of every object we emit), without its name. */
export async function certIdentityId(db: Kysely<DB>): Promise<string> {
  const known = certIdentityIds.get(db);
  if (known) return known;
  const { id } = await certIdentity(db);
  if (id !== NO_CERT_IDENTITY) certIdentityIds.set(db, id);
  return id;
}
