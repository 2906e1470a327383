import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Ctx } from '#server/context.ts';
import type { Mailer } from './mailer.ts';
import type { MailMessage } from './mail.types.ts';
import * as repo from './outbox.repository.ts';

const MAX_ATTEMPTS = 8;
export const OUTBOX_CHANNEL = 'wachtpost_outbox';

/**
 * Queues a mail inside the caller's transaction. Nothing is sent during the request: the worker
 * delivers after commit, so a rollback never leaves a sent mail behind and a crash never loses one.
 */
export async function queueMail(ctx: Ctx, dedupeKey: string, message: Omit<MailMessage, 'messageId'>): Promise<void> {
  const domain = new URL(ctx.services.config.publicUrl).hostname || hostname();
  const messageId = `<${dedupeKey.replace(/[^A-Za-z0-9.-]/g, '.')}@${domain}>`;
  await repo.insertMail(ctx.db, dedupeKey, { ...message, messageId });
  // Delivered to every worker at commit (and never on rollback): they drain the outbox at once.
  await sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`.execute(ctx.db);
}

/** Delivers what is due; returns how many were sent. Safe to run in several processes at once. */
export async function deliverDue(ctx: Ctx, mailer: Mailer, batch = 20): Promise<number> {
  let sent = 0;
  for (;;) {
    const rows = await repo.claimDue(ctx.db, batch);
    if (!rows.length) return sent;
    for (const row of rows) {
      try {
        await mailer.send(row.payload);
        await repo.markSent(ctx.db, row.id);
        sent++;
      } catch (err) {
        const giveUp = row.attempts >= MAX_ATTEMPTS;
        // Exponential backoff: 30 s, 1 min, 2 min … capped at an hour.
        const retryIn = Math.min(3600, 30 * 2 ** (row.attempts - 1));
        await repo.markFailed(ctx.db, row.id, err instanceof Error ? err.message : String(err), giveUp, retryIn);
        ctx.services.log.warn({ outboxId: row.id, attempts: row.attempts, err }, giveUp ? 'mail failed for good' : 'mail failed, will retry');
      }
    }
    if (rows.length < batch) return sent;
  }
}
