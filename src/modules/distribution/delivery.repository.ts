import { sql, type Kysely } from 'kysely';
import type { DB, OutboxStatus, TlpText } from '#db/schema.ts';

/** Deliveries, their per-recipient outbox rows, and what the worker needs to render a product mail. */

export async function insertDelivery(
  db: Kysely<DB>,
  d: {
    productId: string;
    revision: number;
    tlp: TlpText;
    title: string;
    contacts: number;
    organisations: number;
    encrypted: number;
    held: number;
    webhooks: number;
    createdBy: string | null;
  },
): Promise<string | null> {
  const row = await db
    .insertInto('deliveries')
    .values({
      subject_type: 'product',
      subject_id: d.productId,
      revision: d.revision,
      tlp: d.tlp,
      title: d.title,
      contacts: d.contacts,
      organisations: d.organisations,
      encrypted: d.encrypted,
      held: d.held,
      webhooks: d.webhooks,
      created_by: d.createdBy,
    })
    .onConflict((oc) => oc.columns(['subject_type', 'subject_id', 'revision']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export interface OutboxRowInput {
  kind: 'dispatch' | 'webhook';
  dedupeKey: string;
  payload: unknown;
  deliveryId: string;
  contactId: string | null;
  organisationId: string | null;
  recipient: string;
  encrypted: boolean;
  held: string | null;
}

/** One INSERT per thousand rows: a publication to thousands of contacts stays one short transaction. */
export async function insertOutboxRows(db: Kysely<DB>, rows: readonly OutboxRowInput[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('outbox')
      .values(
        rows.slice(i, i + 1000).map((r) => ({
          kind: r.kind,
          dedupe_key: r.dedupeKey,
          payload: JSON.stringify(r.payload),
          delivery_id: r.deliveryId,
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

export async function deliveriesOf(db: Kysely<DB>, productId: string) {
  return db
    .selectFrom('deliveries as d')
    .leftJoin('users as u', 'u.id', 'd.created_by')
    .select([
      'd.id',
      'd.revision',
      'd.tlp',
      'd.contacts',
      'd.organisations',
      'd.encrypted',
      'd.held',
      'd.webhooks',
      'd.created_at',
      'u.name as created_by_name',
    ])
    .where('d.subject_type', '=', 'product')
    .where('d.subject_id', '=', productId)
    .orderBy('d.revision', 'desc')
    .execute();
}

/** Rows per kind and status of each delivery: the queue state an analyst watches. */
export async function queueCounts(db: Kysely<DB>, deliveryIds: readonly string[]) {
  if (!deliveryIds.length) return [];
  return db
    .selectFrom('outbox')
    .select(['delivery_id', 'kind', 'status', sql<number>`count(*)::int`.as('n'), sql<Date | null>`max(sent_at)`.as('last_sent_at')])
    .where('delivery_id', 'in', deliveryIds)
    .groupBy(['delivery_id', 'kind', 'status'])
    .execute();
}

/** Rows that did not go (failed, held, or retrying after an error), with their organisation. */
export async function problemRows(db: Kysely<DB>, deliveryId: string, limit = 500) {
  return db
    .selectFrom('outbox as x')
    .leftJoin('organisations as o', 'o.id', 'x.organisation_id')
    .select([
      'x.id',
      'x.kind',
      'x.status',
      'x.recipient',
      'x.attempts',
      'x.last_error',
      'x.permanent_failure',
      'x.next_attempt_at',
      'o.name as organisation_name',
    ])
    .where('x.delivery_id', '=', deliveryId)
    .where((eb) => eb.or([eb('x.status', 'in', ['failed', 'held'] as OutboxStatus[]), eb('x.last_error', 'is not', null)]))
    .where('x.status', '<>', 'sent')
    .orderBy('x.status')
    .orderBy('x.recipient')
    .limit(limit)
    .execute();
}

export async function revisionForMail(db: Kysely<DB>, productId: string, revision: number) {
  return db
    .selectFrom('product_revisions as r')
    .innerJoin('products as p', 'p.id', 'r.product_id')
    .select(['p.kind', 'p.identifier', 'p.owner_organisation_id', 'r.revision', 'r.tlp', 'r.content', 'r.html', 'r.change_summary', 'r.published_at'])
    .where('r.product_id', '=', productId)
    .where('r.revision', '=', revision)
    .executeTakeFirst();
}

export async function markContactFailing(db: Kysely<DB>, contactId: string, reason: string): Promise<{ email: string; organisation_id: string } | undefined> {
  return db
    .updateTable('contacts')
    .set({ email_failing_since: sql<Date>`coalesce(email_failing_since, now())`, email_failure: reason.slice(0, 500) })
    .where('id', '=', contactId)
    .returning(['email', 'organisation_id'])
    .executeTakeFirst();
}

export async function clearContactFailing(db: Kysely<DB>, contactId: string): Promise<void> {
  await db
    .updateTable('contacts')
    .set({ email_failing_since: null, email_failure: null })
    .where('id', '=', contactId)
    .where('email_failing_since', 'is not', null)
    .execute();
}

/**
 * A contact's held mail, products and digests alike (the policy wanted it encrypted and the contact
 * had no usable key), takes the contact's new key and becomes due now. Only held rows move: sent
 * mail is never sent again.
 */
export async function releaseHeldForContact(db: Kysely<DB>, contactId: string, key: { fingerprint: string; armored: string }): Promise<number> {
  const result = await sql`UPDATE outbox SET status = 'pending', last_error = NULL, next_attempt_at = now(), attempts = 0,
      payload = jsonb_set(payload, '{key}', ${JSON.stringify(key)}::jsonb)
    WHERE kind IN ('dispatch', 'digest') AND status = 'held' AND contact_id = ${contactId}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** A row we sent with this Message-ID to this address: what a bounce must name to be believed. */
export async function findSentRow(db: Kysely<DB>, messageId: string, recipient: string) {
  return db
    .selectFrom('outbox')
    .select(['id', 'contact_id', 'status'])
    .where(sql<boolean>`payload->>'messageId' = ${messageId}`)
    .where(sql<boolean>`lower(coalesce(recipient, payload->>'to')) = ${recipient.toLowerCase()}`)
    .where('status', '=', 'sent')
    .executeTakeFirst();
}

/** Marks a row failed for good after a bounce; false when it already was (a second report changes nothing). */
export async function markBounced(db: Kysely<DB>, id: string, reason: string): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'failed', permanent_failure: true, last_error: reason.slice(0, 1000) })
    .where('id', '=', id)
    .where('status', '<>', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Pending rows of a product's deliveries (waiting out a back-off) become due now; sent, held and given-up rows stay. */
export async function retryNow(db: Kysely<DB>, productId: string): Promise<number> {
  const result = await sql`UPDATE outbox SET next_attempt_at = now()
    WHERE status = 'pending' AND next_attempt_at > now()
      AND delivery_id IN (SELECT id FROM deliveries WHERE subject_type = 'product' AND subject_id = ${productId})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
