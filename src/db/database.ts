import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { DB } from './schema.ts';

/** What pg-boss needs from a database: one function that runs SQL and returns rows. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export type Unlisten = () => Promise<void>;

/**
 * One handle on the database, whether embedded (PGlite) or a PostgreSQL server. Everything else in
 * Wachtpost talks SQL through `db` (Kysely); the rest is what Kysely cannot express the same way on both.
 */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Kysely<DB>;
  /** Runs a multi-statement script (migrations) exclusively, without parameters. */
  execScript(script: string): Promise<void>;
  /** Subscribes to a PostgreSQL NOTIFY channel. */
  listen(channel: string, handler: (payload: string) => void): Promise<Unlisten>;
  readonly executor: SqlExecutor;
  /** Embedded only: a compressed dump of the data folder (the test template). */
  dump?(): Promise<Blob>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…` for a server; otherwise the embedded database. */
  databaseUrl?: string | undefined;
  /** Folder for the embedded database; undefined means in memory (tests). */
  dataDir?: string | undefined;
  /** A dump of a migrated embedded database to start from (tests: skips initdb and migrations). */
  template?: Blob | undefined;
}

// Dates and bigints come back as JS values the presenters understand on both drivers.
pg.types.setTypeParser(20, (v: string) => Number(v));

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.dataDir, options.template);
}

async function openPglite(dataDir: string | undefined, template: Blob | undefined): Promise<Database> {
  const client = await PGlite.create({ ...(dataDir && { dataDir }), ...(template && { loadDataDir: template }) });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(client) });
  // PGlite is one connection: the Kysely driver queues callers, so anything that bypasses
  // Kysely must hold its connection too, or it would interleave with an open transaction.
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => db.connection().execute(fn);
  return {
    kind: 'pglite',
    db,
    execScript: (script) => exclusive(async () => void (await client.exec(script))),
    async listen(channel, handler) {
      const unsub = await client.listen(channel, handler);
      return unsub;
    },
    executor: {
      async executeSql(text, values) {
        if (values && values.length > 0) {
          const result = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, values));
          return { rows: [...result.rows] };
        }
        // Without parameters pg-boss may send several statements at once, which only exec() runs.
        const results = await exclusive(() => client.exec(text));
        const last = results[results.length - 1];
        return { rows: (last?.rows ?? []) };
      },
    },
    dump: () => exclusive(async () => (await client.dumpDataDir('gzip'))),
    async close() {
      // Closing PGlite's Emscripten runtime sets process.exitCode to 0; keep the caller's (a CLI
      // command that found a problem, e.g. `audit verify`, must still exit 1).
      const exitCode = process.exitCode;
      await db.destroy();
      if (!client.closed) await client.close();
      process.exitCode = exitCode;
    },
  };
}

async function openPostgres(databaseUrl: string): Promise<Database> {
  // No JIT: our queries are short and keyset-paged, and JIT compiling them costs more (tens of ms per
  // feed page, measured) than it ever saves; the planner turns it on by cost estimate alone.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, options: '-c jit=off' });
  // An idle connection dropped by the server (restart, failover) must not crash the process; the
  // pool replaces it, and a query in flight reports its own error.
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let listener: pg.Client | undefined;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  return {
    kind: 'postgres',
    db,
    async execScript(script) {
      const client = await pool.connect();
      try {
        await client.query(script);
      } catch (err) {
        // A failed script leaves its transaction open on this pooled connection: end it here.
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async listen(channel, handler) {
      if (!listener) {
        listener = new pg.Client({ connectionString: databaseUrl });
        await listener.connect();
        listener.on('notification', (msg) => {
          for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
        });
      }
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      set.add(handler);
      return async () => {
        set.delete(handler);
      };
    },
    executor: {
      async executeSql(text, values) {
        const result = await pool.query(text, values);
        // A multi-statement query returns an array of results; pg-boss wants the last one.
        const last = Array.isArray(result) ? (result[result.length - 1] as pg.QueryResult) : result;
        return { rows: last.rows as Record<string, unknown>[] };
      },
    },
    async close() {
      await listener?.end();
      await db.destroy();
    },
  };
}
