import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { IntakeSourcesTable } from '#db/schema-intake.ts';
import type { Tlp } from '#lib/tlp.ts';

/** SQL of intake sources and their runs. */

export type SourceRow = Selectable<IntakeSourcesTable>;

/** A run that has held a source this long is taken to have crashed; another process may run it. */
const LEASE_MINUTES = 15;

export async function listSources(db: Kysely<DB>) {
  return db
    .selectFrom('intake_sources')
    .selectAll()
    .orderBy('kind')
    .orderBy(sql`lower(name)`)
    .execute();
}

export async function findSource(db: Kysely<DB>, id: string) {
  return db.selectFrom('intake_sources').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface SourceValues {
  kind: SourceRow['kind'];
  name: string;
  url: string | null;
  tlp: Tlp;
  intervalMinutes: number;
  enabled: boolean;
  publicKeys: string[];
  mailAddress: string | null;
}

export async function insertSource(db: Kysely<DB>, v: SourceValues, createdBy: string | null) {
  return db
    .insertInto('intake_sources')
    .values({
      kind: v.kind,
      name: v.name,
      url: v.url,
      tlp: v.tlp,
      interval_minutes: v.intervalMinutes,
      enabled: v.enabled,
      public_keys: v.publicKeys,
      mail_address: v.mailAddress,
      created_by: createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateSource(db: Kysely<DB>, id: string, v: Partial<SourceValues>, resetCursor: boolean) {
  return db
    .updateTable('intake_sources')
    .set({
      ...(v.name !== undefined && { name: v.name }),
      ...(v.url !== undefined && { url: v.url }),
      ...(v.tlp !== undefined && { tlp: v.tlp }),
      ...(v.intervalMinutes !== undefined && { interval_minutes: v.intervalMinutes }),
      ...(v.enabled !== undefined && { enabled: v.enabled }),
      ...(v.publicKeys !== undefined && { public_keys: v.publicKeys }),
      ...(v.mailAddress !== undefined && { mail_address: v.mailAddress }),
      // A new address is a new source as far as "what is new" goes.
      ...(resetCursor && { cursor: null }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes a source with its items; stories left without items go too. Returns the other stories it touched, or null. */
export async function deleteSource(db: Kysely<DB>, id: string): Promise<string[] | null> {
  const touched = await db.selectFrom('intake_items').select('story_id').distinct().where('source_id', '=', id).execute();
  const r = await db.deleteFrom('intake_sources').where('id', '=', id).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) return null;
  const ids = touched.map((t) => t.story_id);
  if (!ids.length) return [];
  await db
    .deleteFrom('intake_stories')
    .where('id', 'in', ids)
    .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM intake_items i WHERE i.story_id = intake_stories.id)`)
    .execute();
  const left = await db.selectFrom('intake_stories').select('id').where('id', 'in', ids).execute();
  return left.map((s) => s.id);
}

/**
 * Takes the lease of a source to run it: only one process runs a source at a time, and a lease
 * older than LEASE_MINUTES is taken over. `due` only takes it when its next run is due.
 */
export async function leaseSource(db: Kysely<DB>, id: string, due: boolean) {
  return db
    .updateTable('intake_sources')
    .set({ running_since: sql`now()` })
    .where('id', '=', id)
    .where('kind', '<>', 'mailbox')
    .where((eb) => eb.or([eb('running_since', 'is', null), eb('running_since', '<', sql<Date>`now() - make_interval(mins => ${LEASE_MINUTES})`)]))
    .$if(due, (q) => q.where('enabled', '=', true).where('next_run_at', '<=', sql<Date>`now()`))
    .returningAll()
    .executeTakeFirst();
}

export async function dueSourceIds(db: Kysely<DB>, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('intake_sources')
    .select('id')
    .where('enabled', '=', true)
    .where('kind', '<>', 'mailbox')
    .where('next_run_at', '<=', sql<Date>`now()`)
    .orderBy('next_run_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export interface RunResult {
  startedAt: Date;
  ok: boolean;
  newItems: number;
  updatedItems: number;
  warnings: string[];
  error: string | null;
  /** The cursor to keep: undefined leaves the stored one (a failed run). */
  cursor?: unknown;
}

/** Ends a run: the run's row, the source's health, the next due time, and the lease released. */
export async function finishRun(db: Kysely<DB>, source: SourceRow, r: RunResult) {
  await db
    .insertInto('intake_runs')
    .values({
      source_id: source.id,
      started_at: r.startedAt,
      ok: r.ok,
      new_items: r.newItems,
      updated_items: r.updatedItems,
      warnings: r.warnings.slice(0, 50),
      error: r.error,
    })
    .execute();
  await db
    .updateTable('intake_sources')
    .set({
      last_run_at: r.startedAt,
      ...(r.ok && { last_success_at: new Date(), last_error: null, last_items: r.newItems + r.updatedItems }),
      ...(!r.ok && { last_error: r.error }),
      ...(r.cursor !== undefined && { cursor: JSON.stringify(r.cursor) }),
      total_items: sql<number>`total_items + ${r.newItems}`,
      next_run_at: sql<Date>`now() + make_interval(mins => interval_minutes)`,
      running_since: null,
    })
    .where('id', '=', source.id)
    .execute();
}

/** A mailbox source's health after a mail: it has no runs, but the same last-seen figures. */
export async function finishMail(db: Kysely<DB>, sourceId: string, at: Date, newItems: number) {
  await db
    .updateTable('intake_sources')
    .set({ last_run_at: at, last_success_at: new Date(), last_error: null, last_items: newItems, total_items: sql<number>`total_items + ${newItems}` })
    .where('id', '=', sourceId)
    .execute();
}

export async function recentRuns(db: Kysely<DB>, sourceId: string, limit: number) {
  return db.selectFrom('intake_runs').selectAll().where('source_id', '=', sourceId).orderBy('started_at', 'desc').limit(limit).execute();
}

/** The mailbox source a mail to this address belongs to: the exact address, else the plain intake address's. */
export async function mailboxFor(db: Kysely<DB>, address: string, baseAddress: string) {
  const rows = await db
    .selectFrom('intake_sources')
    .selectAll()
    .where('kind', '=', 'mailbox')
    .where('enabled', '=', true)
    .where(sql<boolean>`lower(mail_address) IN (${address.toLowerCase()}, ${baseAddress.toLowerCase()})`)
    .execute();
  return rows.find((r) => r.mail_address?.toLowerCase() === address.toLowerCase()) ?? rows[0];
}

// ---- KEV and EPSS

export interface KevRow {
  cve: string;
  vendor: string;
  product: string;
  name: string;
  dateAdded: string;
  dueDate: string | null;
  shortDescription: string;
  requiredAction: string;
  knownRansomware: boolean;
  notes: string;
}

const CHUNK = 2000;

export async function upsertKev(db: Kysely<DB>, entries: readonly KevRow[], catalogVersion: string | null): Promise<void> {
  for (let i = 0; i < entries.length; i += CHUNK) {
    const chunk = entries.slice(i, i + CHUNK);
    await db
      .insertInto('kev_entries')
      .values(
        chunk.map((e) => ({
          cve: e.cve,
          vendor: e.vendor,
          product: e.product,
          name: e.name,
          date_added: e.dateAdded,
          due_date: e.dueDate,
          short_description: e.shortDescription,
          required_action: e.requiredAction,
          known_ransomware: e.knownRansomware,
          notes: e.notes,
          catalog_version: catalogVersion,
        })),
      )
      .onConflict((oc) =>
        oc.column('cve').doUpdateSet((eb) => ({
          vendor: eb.ref('excluded.vendor'),
          product: eb.ref('excluded.product'),
          name: eb.ref('excluded.name'),
          date_added: eb.ref('excluded.date_added'),
          due_date: eb.ref('excluded.due_date'),
          short_description: eb.ref('excluded.short_description'),
          required_action: eb.ref('excluded.required_action'),
          known_ransomware: eb.ref('excluded.known_ransomware'),
          notes: eb.ref('excluded.notes'),
          catalog_version: eb.ref('excluded.catalog_version'),
          updated_at: sql`now()`,
        })),
      )
      .execute();
  }
}

/** Every score of a day's file, written in chunks of parallel arrays (the file holds some 300,000). */
export async function upsertEpss(
  db: Kysely<DB>,
  scores: readonly { cve: string; epss: number; percentile: number }[],
  modelVersion: string | null,
  scoreDate: string,
) {
  for (let i = 0; i < scores.length; i += CHUNK * 5) {
    const chunk = scores.slice(i, i + CHUNK * 5);
    await sql`
      INSERT INTO epss_scores (cve, epss, percentile, model_version, score_date)
      SELECT cve, epss, percentile, ${modelVersion}, ${scoreDate}::date
      FROM unnest(${chunk.map((s) => s.cve)}::text[], ${chunk.map((s) => s.epss)}::float8[], ${chunk.map((s) => s.percentile)}::float8[]) AS t(cve, epss, percentile)
      ON CONFLICT (cve) DO UPDATE SET epss = excluded.epss, percentile = excluded.percentile, model_version = excluded.model_version, score_date = excluded.score_date
      WHERE epss_scores.score_date <= excluded.score_date`.execute(db);
  }
}

export async function kevFor(db: Kysely<DB>, cves: readonly string[]) {
  if (!cves.length) return [];
  return db
    .selectFrom('kev_entries')
    .selectAll()
    .where('cve', 'in', [...cves])
    .execute();
}

export async function epssFor(db: Kysely<DB>, cves: readonly string[]) {
  if (!cves.length) return [];
  return db
    .selectFrom('epss_scores')
    .selectAll()
    .where('cve', 'in', [...cves])
    .execute();
}
