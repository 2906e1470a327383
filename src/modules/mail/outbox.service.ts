import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Ctx } from '#server/context.ts';
import { isPermanentSmtpFailure, type Mailer } from './mailer.ts';
import type { MailMessage } from './mail.types.ts';
import * as repo from './outbox.repository.ts';
import type { ClaimedRow, OutboxKind } from './outbox.repository.ts';

const MAX_ATTEMPTS = 8;
export const OUTBOX_CHANNEL = 'wachtpost_outbox';

/**
 * Queues a mail inside the caller's transaction. Nothing is sent during the request: the worker
 * delivers after commit, so a rollback never leaves a sent mail behind and a crash never loses one.
 */
export async function queueMail(ctx: Ctx, dedupeKey: string, message: Omit<MailMessage, 'messageId'>): Promise<void> {
  await repo.insertMail(ctx.db, dedupeKey, { ...message, messageId: messageIdFor(ctx, dedupeKey) });
  await notifyWorkers(ctx);
}

/** A Message-ID fixed by the key, so a receiver recognises a copy sent again after a crash. */
export function messageIdFor(ctx: Ctx, key: string): string {
  const domain = new URL(ctx.services.config.publicUrl).hostname || hostname();
  return `<${key.replace(/[^A-Za-z0-9.-]/g, '.')}@${domain}>`;
}

/** Delivered to every worker at commit (and never on rollback): they drain the outbox at once. */
export async function notifyWorkers(ctx: Ctx): Promise<void> {
  await sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`.execute(ctx.db);
}

/** What a worker does with one claimed row of a kind. Throwing means "not delivered". */
export interface OutboxHandler {
  send(ctx: Ctx, row: ClaimedRow): Promise<void>;
  /** Called once when a row is given up: a permanent refusal (5xx) or the last attempt failed. */
  onGiveUp?(ctx: Ctx, row: ClaimedRow, error: string, permanent: boolean): Promise<void>;
}

export type OutboxHandlers = Partial<Record<OutboxKind, OutboxHandler>>;

export interface DrainOptions {
  batch?: number;
  /** Rows in flight at once (the SMTP pool's connections are shared by them). */
  concurrency?: number;
  leaseSeconds?: number;
}

export function mailHandler(mailer: Mailer): OutboxHandler {
  return { send: (_ctx, row) => mailer.send(row.payload as unknown as MailMessage) };
}

/**
 * Delivers what is due; returns how many rows were sent. Safe to run in several processes at once.
 * Each row is marked sent right after the server accepted it, so a crash repeats at most the rows
 * between a server's "250 OK" and that update.
 */
export async function drainOutbox(ctx: Ctx, handlers: OutboxHandlers, options: DrainOptions = {}): Promise<number> {
  const kinds = Object.keys(handlers) as OutboxKind[];
  const batch = options.batch ?? 50;
  const concurrency = options.concurrency ?? 1;
  const lease = options.leaseSeconds ?? 120;
  let sent = 0;
  const marker = new SentMarker(ctx);
  for (;;) {
    const rows = await repo.claimDue(ctx.db, batch, kinds, lease);
    if (!rows.length) return sent;
    const inFlight = new Set<string>(rows.map((r) => r.id));
    const renewer = setInterval(() => {
      repo.renewLease(ctx.db, [...inFlight], lease).catch((err: unknown) => ctx.services.log.warn({ err }, 'outbox lease renewal failed'));
    }, Math.max(500, (lease * 1000) / 3));
    try {
      let next = 0;
      const lane = async () => {
        while (next < rows.length) {
          const row = rows[next++]!;
          if (await deliverOne(ctx, handlers, row, marker)) sent++;
          inFlight.delete(row.id);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane));
    } finally {
      clearInterval(renewer);
    }
    if (rows.length < batch) return sent;
  }
}

/**
 * Group commit for "sent": a row is marked right after its server's 250 reply, and rows whose
 * replies arrive while an update is running go together in the next one. No row waits longer than
 * it would have for the database anyway, and parallel lanes cost one statement instead of many.
 */
class SentMarker {
  private queued: { id: string; done: () => void; fail: (err: unknown) => void }[] = [];
  private running: Promise<void> | null = null;
  constructor(private readonly ctx: Ctx) {}

  mark(id: string): Promise<void> {
    return new Promise((done, fail) => {
      this.queued.push({ id, done, fail });
      this.running ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queued.length) {
      const group = this.queued;
      this.queued = [];
      try {
        await repo.markSent(this.ctx.db, group.map((g) => g.id));
        for (const g of group) g.done();
      } catch (err) {
        for (const g of group) g.fail(err);
      }
    }
    this.running = null;
  }
}

async function deliverOne(ctx: Ctx, handlers: OutboxHandlers, row: ClaimedRow, marker: SentMarker): Promise<boolean> {
  const handler = handlers[row.kind];
  if (!handler) return false;
  try {
    await handler.send(ctx, row);
    await marker.mark(row.id);
    return true;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const permanent = isPermanentSmtpFailure(err) || (err as { permanent?: unknown } | null)?.permanent === true;
    const giveUp = permanent || row.attempts >= MAX_ATTEMPTS;
    // Exponential backoff: 30 s, 1 min, 2 min … capped at an hour.
    const retryIn = Math.min(3600, 30 * 2 ** (row.attempts - 1));
    await repo.markFailed(ctx.db, row.id, message, giveUp, retryIn, permanent);
    ctx.services.log.warn({ outboxId: row.id, kind: row.kind, attempts: row.attempts, err: message }, giveUp ? 'outbox row failed for good' : 'outbox row failed, will retry');
    if (giveUp) await handler.onGiveUp?.(ctx, row, message, permanent);
    return false;
  }
}

/** Mail rows only, one at a time: what the account mails (invitations, resets) need. */
export async function deliverDue(ctx: Ctx, mailer: Mailer, batch = 20): Promise<number> {
  return drainOutbox(ctx, { mail: mailHandler(mailer) }, { batch, leaseSeconds: 600 });
}
