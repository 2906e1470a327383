import { sql, type Kysely, type RawBuilder, type Selectable, type Updateable } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { DigestKind, DigestStatus, DigestsTable } from '#db/schema-digests.ts';
import { cursorTimestamp, decodeCursor, encodeCursor } from '#server/pagination.ts';
import { audienceSql, type MarkedObject } from '#modules/access/policy.ts';
import type { Tlp } from '#lib/tlp.ts';

/** Digests, their entries, the products of a period, the subscribed contacts, and the month's figures. SQL only. */

export type DigestRow = Selectable<DigestsTable>;

export async function findDigest(db: Kysely<DB>, id: string, opts: { forUpdate?: boolean } = {}): Promise<DigestRow | undefined> {
  let q = db.selectFrom('digests').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findByPeriod(db: Kysely<DB>, kind: DigestKind, period: string): Promise<DigestRow | undefined> {
  return db.selectFrom('digests').selectAll().where('kind', '=', kind).where('period', '=', period).executeTakeFirst();
}

/** Inserts the digest of a period unless it exists (two schedulers may try at once); the row either way. */
export async function insertDigest(
  db: Kysely<DB>,
  d: { kind: DigestKind; period: string; startsAt: Date; title: string; titleEn: string; scheduledAt: Date | null },
): Promise<DigestRow> {
  await db
    .insertInto('digests')
    .values({ kind: d.kind, period: d.period, starts_at: d.startsAt, title: d.title, title_en: d.titleEn, scheduled_at: d.scheduledAt })
    .onConflict((oc) => oc.columns(['kind', 'period']).doNothing())
    .execute();
  const row = await findByPeriod(db, d.kind, d.period);
  if (!row) throw new Error(`digest ${d.kind} ${d.period} was not stored`);
  return row;
}

export async function updateDigest(db: Kysely<DB>, id: string, set: Updateable<DigestsTable>): Promise<void> {
  await db
    .updateTable('digests')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Digests, newest period first; readers get sent ones only. */
export async function listDigests(db: Kysely<DB>, q: { sentOnly: boolean; kind?: DigestKind; status?: DigestStatus; limit: number; cursor?: string }) {
  let query = db
    .selectFrom('digests as d')
    .select(['d.id', 'd.kind', 'd.period', 'd.title', 'd.title_en', 'd.status', 'd.scheduled_at', 'd.sent_at', 'd.updated_at', 'd.starts_at'])
    .select(cursorTimestamp('d.starts_at').as('cursor_at'));
  if (q.sentOnly) query = query.where('d.status', '=', 'sent');
  if (q.kind) query = query.where('d.kind', '=', q.kind);
  if (q.status) query = query.where('d.status', '=', q.status);
  const after = decodeCursor(q.cursor);
  if (after) query = query.where(sql<boolean>`(d.starts_at, d.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await query
    .orderBy('d.starts_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > q.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}
export type DigestListRow = Awaited<ReturnType<typeof listDigests>>['rows'][number];

// ---- entries

/** The entries in order, products with their current published state (title, marking, urgency, vendors). */
export async function listEntries(db: Kysely<DB>, digestId: string) {
  return db
    .selectFrom('digest_entries as e')
    .leftJoin('products as p', 'p.id', 'e.product_id')
    .leftJoin('product_revisions as r', (j) => j.onRef('r.product_id', '=', 'p.id').onRef('r.revision', '=', 'p.current_revision'))
    .select([
      'e.id',
      'e.position',
      'e.kind',
      'e.product_id',
      'e.title',
      'e.url',
      'e.source_name',
      'e.summary',
      'e.tlp',
      'e.story_id',
      'p.kind as product_kind',
      'p.identifier',
      'p.title as product_title',
      'p.title_en as product_title_en',
      'p.summary as product_summary',
      sql<string | null>`r.content->'en'->>'summary'`.as('product_summary_en'),
      'p.tlp as product_tlp',
      'p.owner_organisation_id',
      'p.urgency',
      'p.vendors',
      'p.published_at',
      'p.first_published_at',
      'p.status as product_status',
    ])
    .where('e.digest_id', '=', digestId)
    .orderBy('e.position')
    .orderBy('e.created_at')
    .orderBy('e.id')
    .execute();
}
export type EntryRow = Awaited<ReturnType<typeof listEntries>>[number];

/** The named organisations of each product's current marking. */
export async function productRecipients(db: Kysely<DB>, productIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!productIds.length) return out;
  const rows = await db
    .selectFrom('tlp_recipients')
    .select(['object_id', 'organisation_id'])
    .where('object_type', '=', 'product')
    .where('object_id', 'in', productIds)
    .where('user_id', 'is', null)
    .orderBy('organisation_id')
    .execute();
  for (const r of rows) out.set(r.object_id, [...(out.get(r.object_id) ?? []), r.organisation_id]);
  return out;
}

/**
 * Products (advisories, info messages, operational alerts) with a revision published in [start, end):
 * first publications and updates alike; a withdrawal is no news for a digest, nor is a withdrawn product.
 */
export async function productsPublishedIn(db: Kysely<DB>, start: Date, end: Date): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    SELECT p.id FROM products p
    WHERE p.status = 'published' AND p.current_revision IS NOT NULL
      AND EXISTS (SELECT 1 FROM product_revisions r WHERE r.product_id = p.id
        AND r.published_at >= ${start} AND r.published_at < ${end} AND r.change_summary NOT LIKE 'Withdrawn: %')
    ORDER BY p.first_published_at, p.id`.execute(db);
  return rows.rows.map((r) => r.id);
}

export interface EntryInput {
  kind: 'product' | 'media' | 'link';
  productId: string | null;
  title: string;
  url: string | null;
  sourceName: string;
  summary: string;
  tlp: Tlp;
  storyId: string | null;
  addedBy: string | null;
}

/** Appends entries after the last one; a product or story already in the digest is skipped. */
export async function appendEntries(db: Kysely<DB>, digestId: string, entries: readonly EntryInput[]): Promise<string[]> {
  if (!entries.length) return [];
  const max = await db
    .selectFrom('digest_entries')
    .select(sql<number>`coalesce(max(position), 0)`.as('max'))
    .where('digest_id', '=', digestId)
    .executeTakeFirstOrThrow();
  const ids: string[] = [];
  let position = Number(max.max);
  for (const e of entries) {
    const row = await db
      .insertInto('digest_entries')
      .values({
        digest_id: digestId,
        position: ++position,
        kind: e.kind,
        product_id: e.productId,
        title: e.title,
        url: e.url,
        source_name: e.sourceName,
        summary: e.summary,
        tlp: e.tlp,
        story_id: e.storyId,
        added_by: e.addedBy,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row) ids.push(row.id);
  }
  return ids;
}

export async function findEntryByStory(db: Kysely<DB>, digestId: string, storyId: string): Promise<string | null> {
  const row = await db.selectFrom('digest_entries').select('id').where('digest_id', '=', digestId).where('story_id', '=', storyId).executeTakeFirst();
  return row?.id ?? null;
}

export async function deleteEntries(db: Kysely<DB>, digestId: string, ids: readonly string[]): Promise<number> {
  if (!ids.length) return 0;
  const r = await db.deleteFrom('digest_entries').where('digest_id', '=', digestId).where('id', 'in', ids).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Writes positions 1..n in the order given. */
export async function setPositions(db: Kysely<DB>, digestId: string, orderedIds: readonly string[]): Promise<void> {
  if (!orderedIds.length) return;
  const values = sql.join(orderedIds.map((id, i) => sql`(${id}::uuid, ${i + 1}::int)`));
  await sql`UPDATE digest_entries e SET position = v.pos FROM (VALUES ${values}) AS v(id, pos)
    WHERE e.id = v.id AND e.digest_id = ${digestId}`.execute(db);
}

// ---- recipients

export interface SubscribedContact {
  contact_id: string;
  organisation_id: string;
  organisation_name: string;
  name: string;
  email: string;
  languages: string[];
  pgp_fingerprint: string | null;
  pgp_public_key: string | null;
  pgp_expires_at: Date | null;
}

/** Contacts subscribed to the list whose organisation's membership is active. */
export async function subscribedContacts(db: Kysely<DB>, subscription: string): Promise<SubscribedContact[]> {
  const r = await sql<SubscribedContact>`
    SELECT c.id AS contact_id, c.organisation_id, o.name AS organisation_name, c.name, c.email, c.languages,
           c.pgp_fingerprint, c.pgp_public_key, c.pgp_expires_at
    FROM contacts c JOIN organisations o ON o.id = c.organisation_id
    WHERE o.membership_status = 'active' AND ${subscription} = ANY(c.subscriptions)
    ORDER BY o.name, lower(c.email), c.id`.execute(db);
  return r.rows;
}

/** Of the subscribed contacts, those the policy's audience rule admits for one marked object. */
export async function admittedContactIds(db: Kysely<DB>, marking: MarkedObject, subscription: string): Promise<Set<string>> {
  const r = await sql<{ id: string }>`
    SELECT c.id FROM contacts c JOIN organisations o ON o.id = c.organisation_id
    WHERE o.membership_status = 'active' AND ${subscription} = ANY(c.subscriptions)
      AND ${audienceSql(marking, { organisationId: 'c.organisation_id', organisationKind: 'o.kind', userId: 'c.user_id' })}`.execute(db);
  return new Set(r.rows.map((x) => x.id));
}

// ---- the month's figures from our own data (counts only)

export async function constituencyCounts(db: Kysely<DB>, start: Date, end: Date) {
  const one = async (q: RawBuilder<{ n: number }>) => Number((await q.execute(db)).rows[0]?.n ?? 0);
  const opened = await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM monitoring_finding_events
    WHERE kind IN ('opened', 'reopened') AND at >= ${start} AND at < ${end}`);
  const resolved = await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM monitoring_findings
    WHERE resolved_at >= ${start} AND resolved_at < ${end}`);
  const indicators = await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM zdn_indicators
    WHERE status = 'active' AND created_at >= ${start} AND created_at < ${end}`);
  const sightings = await one(sql<{ n: number }>`SELECT coalesce(sum(count), 0)::int AS n FROM zdn_sightings
    WHERE seen_at >= ${start} AND seen_at < ${end}`);
  const incidents = await sql<{ category: string; n: number }>`SELECT category_class AS category, count(*)::int AS n FROM incident_cases
    WHERE opened_at >= ${start} AND opened_at < ${end} AND merged_into_id IS NULL AND category_class <> 'test'
    GROUP BY category_class ORDER BY count(*) DESC, category_class`.execute(db);
  return {
    monitoring: { opened, resolved },
    zdn: { indicatorsAdded: indicators, sightings },
    incidents: incidents.rows.map((r) => ({ category: r.category, count: Number(r.n) })),
  };
}

// ---- the outbox rows of a digest

export interface DigestOutboxRow {
  dedupeKey: string;
  payload: unknown;
  contactId: string;
  organisationId: string;
  recipient: string;
  encrypted: boolean;
  held: string | null;
}

/** One INSERT per thousand rows; a row already there (the same digest and contact) is left alone. */
export async function insertOutboxRows(db: Kysely<DB>, rows: readonly DigestOutboxRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('outbox')
      .values(
        rows.slice(i, i + 1000).map((r) => ({
          kind: 'digest' as const,
          dedupe_key: r.dedupeKey,
          payload: JSON.stringify(r.payload),
          contact_id: r.contactId,
          organisation_id: r.organisationId,
          recipient: r.recipient,
          encrypted: r.encrypted,
          status: r.held ? ('held' as const) : ('pending' as const),
          last_error: r.held,
        })),
      )
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }
}

export const outboxKeyPrefix = (digestId: string) => `digest:${digestId}:`;

export async function outboxCounts(db: Kysely<DB>, digestId: string) {
  return db
    .selectFrom('outbox')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .where('kind', '=', 'digest')
    .where('dedupe_key', 'like', `${outboxKeyPrefix(digestId)}%`)
    .groupBy('status')
    .execute();
}

/** The outbox row of one contact's copy of a digest (what was queued for them). */
export async function outboxRowFor(db: Kysely<DB>, digestId: string, contactId: string) {
  return db
    .selectFrom('outbox')
    .select(['payload', 'status'])
    .where('kind', '=', 'digest')
    .where('dedupe_key', '=', `${outboxKeyPrefix(digestId)}contact:${contactId}`)
    .executeTakeFirst();
}

// ---- for the reader's version of a sent digest

/** The current marking of products (a product withdrawn or re-marked since still decides what a reader sees). */
export async function currentProductMarkings(db: Kysely<DB>, productIds: readonly string[]): Promise<Map<string, MarkedObject>> {
  const out = new Map<string, MarkedObject>();
  if (!productIds.length) return out;
  const rows = await db
    .selectFrom('products')
    .select(['id', 'tlp', 'owner_organisation_id'])
    .where('id', 'in', productIds)
    .where('tlp', 'is not', null)
    .execute();
  const recipients = await productRecipients(db, productIds);
  for (const r of rows)
    out.set(r.id, {
      tlp: r.tlp!,
      ownerOrganisationId: r.owner_organisation_id,
      recipients: (recipients.get(r.id) ?? []).map((organisationId) => ({ organisationId, userId: null })),
    });
  return out;
}

export async function userNames(db: Kysely<DB>, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
