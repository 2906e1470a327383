import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './database.ts';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Names of the migration files shipped with this version, in the order they apply. */
export async function availableMigrations(): Promise<string[]> {
  return (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
}

const lockKey = 0x77616368; // 'wach'

async function ensureTable(database: Database): Promise<void> {
  // Under the migration lock: two processes starting on an empty PostgreSQL database would
  // otherwise race in CREATE TABLE IF NOT EXISTS (duplicate key in pg_type).
  await database.execScript(`BEGIN;
SELECT pg_advisory_xact_lock(${lockKey});
CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
COMMIT;`);
}

export async function appliedMigrations(database: Database): Promise<string[]> {
  await ensureTable(database);
  const rows = await database.db.selectFrom('schema_migrations').select('name').orderBy('name').execute();
  return rows.map((r) => r.name);
}

/** Migrations this version ships that the database has not run yet. */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const applied = new Set(await appliedMigrations(database));
  return (await availableMigrations()).filter((m) => !applied.has(m));
}

/**
 * Applies every pending migration, each in its own transaction. Several processes starting at once
 * against one PostgreSQL take an advisory lock in turn, so a migration runs exactly once.
 */
export async function migrate(database: Database): Promise<string[]> {
  await ensureTable(database);
  const ran: string[] = [];
  for (const name of await availableMigrations()) {
    const body = await readFile(migrationsDir + name, 'utf8');
    // The check and the apply happen under one transaction-scoped lock, so a second process waits
    // and then sees the migration as applied.
    const escaped = name.replace(/'/g, "''");
    const script = `BEGIN;
SELECT pg_advisory_xact_lock(${lockKey});
DO $wp$ BEGIN
  IF EXISTS (SELECT 1 FROM schema_migrations WHERE name = '${escaped}') THEN
    RAISE EXCEPTION 'wachtpost_migration_already_applied';
  END IF;
END $wp$;
${body}
INSERT INTO schema_migrations (name) VALUES ('${escaped}');
COMMIT;`;
    try {
      await database.execScript(script);
      ran.push(name);
    } catch (err) {
      await database.execScript('ROLLBACK;').catch(() => undefined);
      if (err instanceof Error && err.message.includes('wachtpost_migration_already_applied')) continue;
      throw new Error(`Migration ${name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  return ran;
}

/** True when the database answers and has every migration of this version. */
export async function databaseReady(database: Database): Promise<{ ok: boolean; pending: string[] }> {
  await sql`SELECT 1`.execute(database.db);
  const pending = await pendingMigrations(database);
  return { ok: pending.length === 0, pending };
}
