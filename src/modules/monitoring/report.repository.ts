import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { SourceKind } from '#db/schema-monitoring.ts';
import { badRequest } from '#server/errors.ts';
import { cursorTimestamp, decodeCursor, encodeCursor } from '#server/pagination.ts';
import type { ConstituencyAsset } from './constituency.ts';

/** The approved addresses, networks and names of active participants: what the matcher is built from. */
export async function constituencyAssets(db: Kysely<DB>): Promise<ConstituencyAsset[]> {
  const rows = await db
    .selectFrom('assets as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['a.id', 'a.organisation_id', 'a.type', 'a.value', 'a.include_subdomains', 'a.range_start', 'a.range_end'])
    .where('a.status', '=', 'approved')
    .where('a.type', 'in', ['ip_range', 'asn', 'domain'])
    .where('o.membership_status', '=', 'active')
    .where('o.kind', '=', 'participant')
    .execute();
  return rows.map((r) => ({
    assetId: r.id,
    organisationId: r.organisation_id,
    type: r.type as ConstituencyAsset['type'],
    value: r.value,
    includeSubdomains: r.include_subdomains,
    rangeStart: r.range_start,
    rangeEnd: r.range_end,
  }));
}

export async function insertReport(
  db: Kysely<DB>,
  r: {
    sourceId: string | null;
    sourceKind: string;
    reportType: string;
    fileName: string;
    via: 'upload' | 'folder' | 'mail' | 'schedule' | 'manual';
    createdBy: string | null;
    /** The mail that brought the report (via 'mail'). */
    mail?: { from: string; messageId: string };
  },
): Promise<string> {
  const row = await db
    .insertInto('monitoring_reports')
    .values({
      source_id: r.sourceId,
      source_kind: r.sourceKind,
      report_type: r.reportType,
      file_name: r.fileName,
      received_via: r.via,
      created_by: r.createdBy,
      unknown_columns: [],
      mail_from: r.mail?.from ?? null,
      mail_message_id: r.mail?.messageId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** True when every attachment of this mail has been read before (the mail is a retry or a copy). */
export async function mailTaken(db: Kysely<DB>, messageId: string): Promise<boolean> {
  return !!(await db.selectFrom('monitoring_report_mails').select('message_id').where('message_id', '=', messageId).executeTakeFirst());
}

/** Marks a mail as read to the end; a second mark of the same mail (a copy read at once) changes nothing. */
export async function markMailTaken(db: Kysely<DB>, m: { messageId: string; from: string; subject: string; reports: number }): Promise<void> {
  await db
    .insertInto('monitoring_report_mails')
    .values({ message_id: m.messageId, mail_from: m.from, subject: m.subject, reports: m.reports })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
}

export interface ReportCounts {
  reportType?: string;
  rowsTotal: number;
  rowsMatched: number;
  rowsUnmatched: number;
  rowsFailed: number;
  findingsNew: number;
  findingsReopened: number;
  unknownColumns?: string[];
  columns?: string[];
}

export async function updateReport(db: Kysely<DB>, id: string, c: ReportCounts): Promise<void> {
  await db
    .updateTable('monitoring_reports')
    .set({
      ...(c.reportType ? { report_type: c.reportType } : {}),
      rows_total: c.rowsTotal,
      rows_matched: c.rowsMatched,
      rows_unmatched: c.rowsUnmatched,
      rows_failed: c.rowsFailed,
      findings_new: c.findingsNew,
      findings_reopened: c.findingsReopened,
      ...(c.unknownColumns ? { unknown_columns: c.unknownColumns } : {}),
      ...(c.columns ? { columns: c.columns } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function insertFailedRows(db: Kysely<DB>, reportId: string, rows: readonly { line: number; raw: string; reason: string }[]): Promise<void> {
  if (!rows.length) return;
  await sql`INSERT INTO monitoring_failed_rows (report_id, line, raw, reason)
    SELECT ${reportId}::uuid, l, r, w FROM unnest(${rows.map((r) => r.line)}::int[], ${rows.map((r) => r.raw)}::text[], ${rows.map((r) => r.reason)}::text[]) AS x(l, r, w)
    ON CONFLICT DO NOTHING`.execute(db);
}

/** Reports newest first, keyset-paged on (created_at, id): a page of `limit` after the cursor. */
export async function listReports(db: Kysely<DB>, q: { cursor?: string; limit: number }) {
  let query = db.selectFrom('monitoring_reports').selectAll().select(cursorTimestamp('created_at').as('cursor_at'));
  const after = decodeCursor(q.cursor);
  if (after) query = query.where(sql<boolean>`(created_at, id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > q.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}

export async function findReport(db: Kysely<DB>, id: string) {
  return db.selectFrom('monitoring_reports').selectAll().where('id', '=', id).executeTakeFirst();
}

// A failed row is keyed by its line within the report: its cursor is the last line seen.
const encodeLineCursor = (line: number): string => Buffer.from(JSON.stringify(['line', line])).toString('base64url');

function decodeLineCursor(cursor: string | undefined): number | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      parsed[0] === 'line' &&
      Number.isSafeInteger(parsed[1]) &&
      Math.abs(parsed[1] as number) <= 2 ** 31 - 1
    ) {
      return parsed[1] as number;
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest('invalid_cursor', 'The cursor is not one this API gave out; start again without it.', { field: 'cursor' });
}

/** A report's unreadable rows by line, keyset-paged on the line. */
export async function failedRows(db: Kysely<DB>, reportId: string, q: { cursor?: string; limit: number }) {
  const after = decodeLineCursor(q.cursor);
  let query = db.selectFrom('monitoring_failed_rows').select(['line', 'raw', 'reason']).where('report_id', '=', reportId);
  if (after !== null) query = query.where('line', '>', after);
  const rows = await query
    .orderBy('line')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > q.limit && last ? encodeLineCursor(last.line) : null };
}

export async function countFailedRows(db: Kysely<DB>, reportId: string): Promise<number> {
  const row = await db
    .selectFrom('monitoring_failed_rows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('report_id', '=', reportId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findSourceByName(db: Kysely<DB>, name: string) {
  return db.selectFrom('monitoring_sources').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function findSource(db: Kysely<DB>, id: string) {
  return db.selectFrom('monitoring_sources').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSources(db: Kysely<DB>, kind?: SourceKind) {
  let q = db.selectFrom('monitoring_sources').selectAll().orderBy('kind').orderBy('name');
  if (kind) q = q.where('kind', '=', kind);
  return q.execute();
}

/** Creates the source the first time it reports (a Shadowserver upload names its own). */
export async function ensureSource(db: Kysely<DB>, kind: SourceKind, name: string, config: Record<string, unknown> = {}): Promise<string> {
  await db
    .insertInto('monitoring_sources')
    .values({ kind, name, config: JSON.stringify(config) })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return (await db.selectFrom('monitoring_sources').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
}

export async function insertSource(db: Kysely<DB>, s: { kind: SourceKind; name: string; config: Record<string, unknown>; enabled: boolean }): Promise<string> {
  const row = await db
    .insertInto('monitoring_sources')
    .values({ kind: s.kind, name: s.name, config: JSON.stringify(s.config), enabled: s.enabled })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateSource(db: Kysely<DB>, id: string, s: { name?: string; config?: Record<string, unknown>; enabled?: boolean }): Promise<boolean> {
  const r = await db
    .updateTable('monitoring_sources')
    .set({
      ...(s.name ? { name: s.name } : {}),
      ...(s.config ? { config: JSON.stringify(s.config) } : {}),
      ...(s.enabled !== undefined ? { enabled: s.enabled } : {}),
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function recordSourceRun(db: Kysely<DB>, id: string, run: { rows: number; errors: number; lastError: string | null }): Promise<void> {
  await db
    .updateTable('monitoring_sources')
    .set({ last_run_at: new Date(), last_rows: run.rows, last_errors: run.errors, last_error: run.lastError })
    .where('id', '=', id)
    .execute();
}

export async function organisationNames(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
