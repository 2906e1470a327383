import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';

export interface TestDatabase {
  database: Database;
  /** Where the database lives: a connection string on PostgreSQL, undefined when embedded. */
  url: string | undefined;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file: a new database on the PostgreSQL server when DATABASE_URL is
 * set (CI), otherwise an embedded one from the migrated template.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `wp_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: url.toString() });
    await migrate(database);
    return {
      database,
      url: url.toString(),
      async drop() {
        await database.close();
        const c = new pg.Client({ connectionString: serverUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const template = new Blob([await readFile(inject('pgliteTemplate'))]);
  const database = await openDatabase({ template });
  await migrate(database);
  return { database, url: undefined, drop: () => database.close() };
}
