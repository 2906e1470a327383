import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '#db/database.ts';
import type { DB } from '#db/schema.ts';
import type { Actor } from '#modules/access/actor.ts';
import type { Config } from './config.ts';

/** Process-wide collaborators, built once at boot and handed to services through the context. */
export interface Services {
  config: Config;
  database: Database;
  log: Logger;
}

/** Everything a service function needs about the request it serves. Always the first argument. */
export interface Ctx {
  actor: Actor | null;
  /** The database or the open transaction; services never reach for another handle. */
  db: Kysely<DB>;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  services: Services;
}

/** Runs `fn` in a transaction, or inside the caller's transaction when there already is one. */
export async function inTransaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx }));
}

/** A context for work that no person started: the CLI, jobs, the demo loader. */
export function systemContext(services: Services, requestId = 'system'): Ctx {
  return { actor: null, db: services.database.db, requestId, ip: null, userAgent: null, services };
}
