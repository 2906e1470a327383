import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { FindingStatus, Severity } from '#db/schema-monitoring.ts';
import { escapeLike } from '#db/like.ts';
import { cursorTimestamp, decodeCursor, encodeCursor } from '#server/pagination.ts';
import type { FindingCandidate } from './report-rows.ts';

export interface UpsertResult {
  inserted: number;
  reopened: number;
  updated: number;
}

/**
 * Stores matched rows as findings in one statement: a new key opens a finding; a known one moves its
 * last sighting and evidence forward and remembers the source; a resolved one seen after it was
 * resolved is reopened. Candidates must be unique per key (matchRows collapses them).
 */
export async function upsertFindings(db: Kysely<DB>, source: string, candidates: readonly FindingCandidate[]): Promise<UpsertResult> {
  if (candidates.length === 0) return { inserted: 0, reopened: 0, updated: 0 };
  const col = <K extends keyof FindingCandidate>(k: K) => candidates.map((c) => c[k]);
  const evidence = candidates.map((c) => JSON.stringify(c.evidence));
  const raws = candidates.map((c) => c.raw ?? null);
  const r = await sql<{ id: string; inserted: boolean; reopened: boolean }>`
    WITH changed AS (
      INSERT INTO monitoring_findings AS f (organisation_id, asset_id, type, subject, port, severity, sources, first_seen, last_seen, evidence, evidence_raw)
      SELECT c.org, c.asset, c.type, c.subject, c.port, c.severity, ARRAY[${source}::text], to_timestamp(c.ms / 1000.0), to_timestamp(c.ms / 1000.0), c.ev::jsonb, c.raw
      FROM unnest(${col('organisationId')}::uuid[], ${col('assetId')}::uuid[], ${col('type')}::text[], ${col('subject')}::text[], ${col('port')}::int[],
        ${col('severity')}::text[], ${col('seenAt')}::float8[], ${evidence}::text[], ${raws}::text[]) AS c(org, asset, type, subject, port, severity, ms, ev, raw)
      ON CONFLICT (organisation_id, type, subject, port) DO UPDATE SET
        first_seen = LEAST(f.first_seen, EXCLUDED.first_seen),
        last_seen = GREATEST(f.last_seen, EXCLUDED.last_seen),
        evidence = CASE WHEN EXCLUDED.last_seen >= f.last_seen THEN EXCLUDED.evidence ELSE f.evidence END,
        evidence_raw = CASE WHEN EXCLUDED.last_seen >= f.last_seen THEN EXCLUDED.evidence_raw ELSE f.evidence_raw END,
        severity = CASE WHEN EXCLUDED.last_seen >= f.last_seen THEN EXCLUDED.severity ELSE f.severity END,
        asset_id = EXCLUDED.asset_id,
        sources = CASE WHEN ${source}::text = ANY(f.sources) THEN f.sources ELSE f.sources || ${source}::text END,
        -- Seen again after it was resolved: the problem is back.
        status = CASE WHEN f.status = 'resolved' AND EXCLUDED.last_seen > f.resolved_at THEN 'new' ELSE f.status END,
        reopened_count = f.reopened_count + CASE WHEN f.status = 'resolved' AND EXCLUDED.last_seen > f.resolved_at THEN 1 ELSE 0 END,
        reopened_at = CASE WHEN f.status = 'resolved' AND EXCLUDED.last_seen > f.resolved_at THEN now() ELSE f.reopened_at END,
        notified_at = CASE WHEN f.status = 'resolved' AND EXCLUDED.last_seen > f.resolved_at THEN NULL ELSE f.notified_at END,
        resolved_at = CASE WHEN f.status = 'resolved' AND EXCLUDED.last_seen > f.resolved_at THEN NULL ELSE f.resolved_at END,
        updated_at = now()
      RETURNING f.id, (f.xmax = 0) AS inserted, (f.status = 'new' AND f.reopened_at = now()) AS reopened
    ), told AS (
      -- Only reopenings are written: a finding's opening is its first sighting (first_seen, its first
      -- source), and a report of a million new findings should not write a million history rows too.
      INSERT INTO monitoring_finding_events (finding_id, kind, to_status, source)
      SELECT id, 'reopened', 'new', ${source} FROM changed WHERE reopened AND NOT inserted
    )
    SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE reopened AND NOT inserted)::int AS reopened, count(*)::int AS total FROM changed`.execute(
    db,
  );
  const row = r.rows[0] as unknown as { inserted: number; reopened: number; total: number };
  return { inserted: row.inserted, reopened: row.reopened, updated: row.total - row.inserted };
}

export interface FindingFilter {
  organisationIds: readonly string[] | null;
  organisationId?: string;
  status?: readonly FindingStatus[];
  open?: boolean;
  type?: string;
  severity?: Severity;
  source?: string;
  q?: string;
  cursor?: string;
  limit: number;
}

const findingColumns = [
  'f.id',
  'f.organisation_id',
  'o.name as organisation_name',
  'f.asset_id',
  'a.value as asset_value',
  'f.type',
  'f.subject',
  'f.port',
  'f.severity',
  'f.status',
  'f.sources',
  'f.first_seen',
  'f.last_seen',
  'f.reopened_count',
  'f.reopened_at',
  'f.notified_at',
  'f.resolved_at',
  'f.recheck_requested_at',
] as const;

function baseQuery(db: Kysely<DB>) {
  return db.selectFrom('monitoring_findings as f').innerJoin('organisations as o', 'o.id', 'f.organisation_id').leftJoin('assets as a', 'a.id', 'f.asset_id');
}

export async function listFindings(db: Kysely<DB>, filter: FindingFilter) {
  let q = baseQuery(db).select([...findingColumns, cursorTimestamp('f.last_seen').as('cursor_at')]);
  if (filter.organisationIds)
    q = q.where('f.organisation_id', 'in', filter.organisationIds.length ? filter.organisationIds : ['00000000-0000-0000-0000-000000000000']);
  if (filter.organisationId) q = q.where('f.organisation_id', '=', filter.organisationId);
  if (filter.status?.length) q = q.where('f.status', 'in', filter.status);
  if (filter.open) q = q.where('f.status', 'in', ['new', 'notified', 'acknowledged']);
  if (filter.type) q = q.where('f.type', '=', filter.type);
  if (filter.severity) q = q.where('f.severity', '=', filter.severity);
  if (filter.source) q = q.where(sql<boolean>`${filter.source} = ANY(f.sources)`);
  if (filter.q) q = q.where('f.subject', 'like', `${escapeLike(filter.q.toLowerCase())}%`);
  const after = decodeCursor(filter.cursor);
  if (after) q = q.where(sql<boolean>`(f.last_seen, f.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await q
    .orderBy('f.last_seen', 'desc')
    .orderBy('f.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const more = rows.length > filter.limit;
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: more && last ? encodeCursor(last.cursor_at, last.id) : null };
}

export type FindingRow = Awaited<ReturnType<typeof listFindings>>['rows'][number];

export async function findFinding(db: Kysely<DB>, id: string) {
  return baseQuery(db)
    .leftJoin('monitoring_reports as r', (join) => join.on(sql<boolean>`r.id = (f.evidence->>'reportId')::uuid`))
    .select([...findingColumns, 'f.evidence', 'f.evidence_raw', 'r.columns as evidence_columns'])
    .where('f.id', '=', id)
    .executeTakeFirst();
}

export async function findingStatus(db: Kysely<DB>, id: string): Promise<FindingStatus | null> {
  const row = await db.selectFrom('monitoring_findings').select('status').where('id', '=', id).executeTakeFirst();
  return row?.status ?? null;
}

export async function findingEvents(db: Kysely<DB>, findingId: string) {
  return db
    .selectFrom('monitoring_finding_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.kind', 'e.from_status', 'e.to_status', 'e.source', 'e.note', 'e.at', 'u.name as actor_name'])
    .where('e.finding_id', '=', findingId)
    .orderBy('e.id')
    .execute();
}

/** Changes the status under a row lock; returns the status it had, or null when the row is gone. */
export async function setStatus(
  db: Kysely<DB>,
  id: string,
  to: FindingStatus,
  patch: { resolvedAt?: Date | null; recheck?: boolean },
): Promise<FindingStatus | null> {
  const current = await db.selectFrom('monitoring_findings').select('status').where('id', '=', id).forUpdate().executeTakeFirst();
  if (!current) return null;
  await db
    .updateTable('monitoring_findings')
    .set({
      status: to,
      updated_at: new Date(),
      ...(patch.resolvedAt !== undefined ? { resolved_at: patch.resolvedAt } : {}),
      // Marked notified by hand (the CERT told them some other way): when, unless the daily mail
      // already said; set back to new, it is untold again and goes in the next daily mail.
      ...(to === 'notified' ? { notified_at: sql<Date>`coalesce(notified_at, now())` } : to === 'new' ? { notified_at: null } : {}),
      ...(patch.recheck !== undefined ? { recheck_requested_at: patch.recheck ? new Date() : null } : {}),
    })
    .where('id', '=', id)
    .execute();
  return current.status;
}

export async function insertEvent(
  db: Kysely<DB>,
  e: {
    findingId: string;
    kind: 'status' | 'notified' | 'recheck' | 'reopened';
    from?: string | null;
    to?: string | null;
    actorUserId?: string | null;
    source?: string | null;
    note?: string;
  },
) {
  await db
    .insertInto('monitoring_finding_events')
    .values({
      finding_id: e.findingId,
      kind: e.kind,
      from_status: e.from ?? null,
      to_status: e.to ?? null,
      actor_user_id: e.actorUserId ?? null,
      source: e.source ?? null,
      note: e.note ?? '',
    })
    .execute();
}

/** The participants with new (or reopened) findings not yet told, for the daily mail. */
export async function organisationsWithNewFindings(db: Kysely<DB>): Promise<string[]> {
  const rows = await db
    .selectFrom('monitoring_findings as f')
    .innerJoin('organisations as o', 'o.id', 'f.organisation_id')
    .select('f.organisation_id')
    .distinct()
    .where('f.status', '=', 'new')
    .where('o.membership_status', '=', 'active')
    .execute();
  return rows.map((r) => r.organisation_id);
}

/** Locks and returns an organisation's untold findings: two schedulers never tell the same finding twice. */
export async function claimNewFindings(db: Kysely<DB>, organisationId: string) {
  return db
    .selectFrom('monitoring_findings as f')
    .leftJoin('assets as a', 'a.id', 'f.asset_id')
    .select(['f.id', 'f.type', 'f.subject', 'f.port', 'f.severity', 'f.first_seen', 'f.last_seen', 'f.reopened_count', 'f.sources', 'a.value as asset_value'])
    .where('f.organisation_id', '=', organisationId)
    .where('f.status', '=', 'new')
    .orderBy('f.severity')
    .orderBy('f.type')
    .orderBy('f.subject')
    .forUpdate('f')
    .skipLocked()
    .execute();
}

export async function markNotified(db: Kysely<DB>, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  await db
    .updateTable('monitoring_findings')
    .set({ status: 'notified', notified_at: new Date(), updated_at: new Date() })
    .where('id', 'in', ids)
    .where('status', '=', 'new')
    .execute();
  await sql`INSERT INTO monitoring_finding_events (finding_id, kind, from_status, to_status) SELECT unnest(${ids}::uuid[]), 'notified', 'new', 'notified'`.execute(
    db,
  );
}

/** Findings whose participant resolved them and asked for a re-check, of a source that can re-check. */
export async function recheckDue(db: Kysely<DB>, sourcePrefix: string, limit = 500) {
  return db
    .selectFrom('monitoring_findings')
    .select(['id', 'organisation_id', 'asset_id', 'type', 'subject', 'port', 'sources', 'severity'])
    .where('recheck_requested_at', 'is not', null)
    .where(sql<boolean>`EXISTS (SELECT 1 FROM unnest(sources) s WHERE s LIKE ${`${escapeLike(sourcePrefix)}%`})`)
    .limit(limit)
    .execute();
}

export async function clearRecheck(db: Kysely<DB>, id: string): Promise<void> {
  await db.updateTable('monitoring_findings').set({ recheck_requested_at: null }).where('id', '=', id).execute();
}

/** Contacts who asked for monitoring reports, at addresses that still work. */
export async function monitoringContacts(db: Kysely<DB>, organisationId: string) {
  return db
    .selectFrom('contacts')
    .select(['id', 'email', 'name', 'languages', 'pgp_public_key', 'pgp_fingerprint'])
    .where('organisation_id', '=', organisationId)
    .where(sql<boolean>`subscriptions @> ARRAY['monitoring']::text[]`)
    .where('email_failing_since', 'is', null)
    .execute();
}

