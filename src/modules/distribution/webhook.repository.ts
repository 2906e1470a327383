import type { Kysely } from 'kysely';
import type { DB, TlpText, WebhookFormat } from '#db/schema.ts';

const COLUMNS = ['id', 'organisation_id', 'name', 'url', 'format', 'max_tlp', 'kinds', 'enabled', 'last_status', 'last_attempt_at', 'created_at'] as const;

export async function listWebhooks(db: Kysely<DB>, organisationId: string | null) {
  let q = db.selectFrom('webhooks').select(COLUMNS);
  if (organisationId) q = q.where('organisation_id', '=', organisationId);
  return q.orderBy('created_at').execute();
}

export async function findWebhook(db: Kysely<DB>, id: string) {
  return db.selectFrom('webhooks').select([...COLUMNS, 'secret']).where('id', '=', id).executeTakeFirst();
}

export async function insertWebhook(
  db: Kysely<DB>,
  w: { organisationId: string; name: string; url: string; format: WebhookFormat; secret: string; maxTlp: TlpText; kinds: string[]; createdBy: string | null },
) {
  return db
    .insertInto('webhooks')
    .values({ organisation_id: w.organisationId, name: w.name, url: w.url, format: w.format, secret: w.secret, max_tlp: w.maxTlp, kinds: w.kinds, created_by: w.createdBy })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function updateWebhook(db: Kysely<DB>, id: string, patch: { name?: string; url?: string; format?: WebhookFormat; max_tlp?: TlpText; kinds?: string[]; enabled?: boolean }) {
  return db.updateTable('webhooks').set(patch).where('id', '=', id).returning(COLUMNS).executeTakeFirstOrThrow();
}

export async function deleteWebhook(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('webhooks').where('id', '=', id).execute();
}

export async function recordAttempt(db: Kysely<DB>, id: string, status: string): Promise<void> {
  await db.updateTable('webhooks').set({ last_status: status.slice(0, 300), last_attempt_at: new Date() }).where('id', '=', id).execute();
}
