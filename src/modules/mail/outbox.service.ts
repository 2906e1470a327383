import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Ctx } from '#server/context.ts';
import { isPermanentSmtpFailure, type Mailer } from './mailer.ts';
import type { MailMessage } from './mail.types.ts';
import * as repo from './outbox.repository.ts';
import type { ClaimedRow, OutboxKind } from './outbox.repository.ts';
import { ClaimedRows, SentMarker } from './outbox-lanes.ts';

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
  /**
   * Optional split of `send`: everything before the first byte leaves (render, sign, encrypt),
   * returning the sending itself. A lane then prepares its next row while the current one is being
   * sent and marked.
   */
  prepare?(ctx: Ctx, row: ClaimedRow): Promise<() => Promise<void>>;
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
 * `concurrency` lanes each send a row, queue its "sent" mark, and wait until that mark is written
 * before they send the next one (which they prepared meanwhile). So at most `concurrency` rows are
 * ever between the start of their sending and their mark: a crash repeats at most those rows, the
 * ones whose server had already said "250 OK".
 */
export async function drainOutbox(ctx: Ctx, handlers: OutboxHandlers, options: DrainOptions = {}): Promise<number> {
  const kinds = Object.keys(handlers) as OutboxKind[];
  const concurrency = options.concurrency ?? 1;
  const lease = options.leaseSeconds ?? 120;
  const source = new ClaimedRows(ctx, kinds, options.batch ?? 50, lease, concurrency);
  const marker = new SentMarker(ctx, concurrency);
  let sent = 0;
  const renewer = setInterval(() => {
    repo.renewLease(ctx.db, source.unfinished(), lease).catch((err: unknown) => ctx.services.log.warn({ err }, 'outbox lease renewal failed'));
  }, Math.max(500, (lease * 1000) / 3));
  /** The next due row made ready to send; a row that cannot be prepared is recorded as failed and skipped. */
  const prepareNext = async (): Promise<Prepared | null> => {
    for (let row = await source.next(); row; row = await source.next()) {
      const handler = handlers[row.kind];
      if (!handler) {
        source.finished(row.id);
        continue;
      }
      try {
        return { row, handler, send: handler.prepare ? await handler.prepare(ctx, row) : () => handler.send(ctx, row) };
      } catch (err) {
        await failed(ctx, handler, row, err);
        source.finished(row.id);
      }
    }
    return null;
  };
  const lane = async () => {
    // This lane's last sent row and its mark: written (or failed) before the lane sends another.
    let previous: { item: Prepared; written: Promise<void> } | null = null;
    const settle = async () => {
      if (!previous) return;
      const { item, written } = previous;
      previous = null;
      try {
        await marker.wait(written);
        sent++;
      } catch (err) {
        // The mail left but its mark did not: the row is retried and may arrive twice, never lost.
        await failed(ctx, item.handler, item.row, err);
      }
      source.finished(item.row.id);
    };
    let upcoming = prepareNext();
    for (let item = await upcoming; item; item = await upcoming) {
      // The next row is prepared (rendered, encrypted) while this one is being sent.
      upcoming = prepareNext();
      upcoming.catch(() => {}); // awaited in the next round; a failure is raised there
      await settle();
      try {
        await item.send();
        previous = { item, written: marker.mark(item.row.id) };
      } catch (err) {
        await failed(ctx, item.handler, item.row, err);
        source.finished(item.row.id);
      }
    }
    await settle();
    marker.laneDone();
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, lane));
  } finally {
    clearInterval(renewer);
  }
  return sent;
}

interface Prepared {
  row: ClaimedRow;
  handler: OutboxHandler;
  send: () => Promise<void>;
}

async function failed(ctx: Ctx, handler: OutboxHandler, row: ClaimedRow, err: unknown): Promise<void> {
  const message = err instanceof Error ? err.message : String(err);
  const permanent = isPermanentSmtpFailure(err) || (err as { permanent?: unknown } | null)?.permanent === true;
  const giveUp = permanent || row.attempts >= MAX_ATTEMPTS;
  // Exponential backoff: 30 s, 1 min, 2 min … capped at an hour.
  const retryIn = Math.min(3600, 30 * 2 ** (row.attempts - 1));
  await repo.markFailed(ctx.db, row.id, message, giveUp, retryIn, permanent);
  ctx.services.log.warn({ outboxId: row.id, kind: row.kind, attempts: row.attempts, err: message }, giveUp ? 'outbox row failed for good' : 'outbox row failed, will retry');
  if (giveUp) await handler.onGiveUp?.(ctx, row, message, permanent);
}

/** Mail rows only, one at a time: what the account mails (invitations, resets) need. */
export async function deliverDue(ctx: Ctx, mailer: Mailer, batch = 20): Promise<number> {
  return drainOutbox(ctx, { mail: mailHandler(mailer) }, { batch, leaseSeconds: 600 });
}
