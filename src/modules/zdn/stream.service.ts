import { sql } from 'kysely';
import type { Ctx } from '#server/context.ts';

/** Woken at commit with the newest change number; every process's stream hub then reads the log. */
export const ZDN_CHANNEL = 'wachtpost_zdn';

export async function notifyStreams(ctx: Ctx, lastSeq: number): Promise<void> {
  await sql`SELECT pg_notify(${ZDN_CHANNEL}, ${String(lastSeq)})`.execute(ctx.db);
}
