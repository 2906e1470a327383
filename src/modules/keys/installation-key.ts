import { randomBytes } from 'node:crypto';
import type { Ctx } from '#server/context.ts';
import type { Database } from '#db/database.ts';
import { getOrCreateSecret } from './installation-secret.repository.ts';

/**
 * A 256-bit key of this installation, by name (HMAC keys for signed links, form tickets …): made at
 * first use and shared between processes through the database, then kept per process.
 */
const cache = new WeakMap<Database, Map<string, Promise<Buffer>>>();

export async function installationKey(ctx: Ctx, name: string): Promise<Buffer> {
  const database = ctx.services.database;
  let keys = cache.get(database);
  if (!keys) cache.set(database, (keys = new Map<string, Promise<Buffer>>()));
  let key = keys.get(name);
  if (!key) {
    // Outside the caller's transaction: the secret must survive a rollback of whatever asked first.
    key = getOrCreateSecret(database.db, name, randomBytes(32).toString('base64')).then((v) => Buffer.from(v, 'base64'));
    const forget = keys;
    key.catch(() => forget.delete(name));
    keys.set(name, key);
  }
  return key;
}
