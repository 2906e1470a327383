import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';
import pg from 'pg';
import { arrayLiteral, upsertValues, valueKey } from '../../src/modules/zdn/indicator.repository.ts';
import { valueRow } from '../../src/modules/zdn/ingest.service.ts';

/** The SQL the bulk add of indicators relies on, on the embedded database and (CI) the PostgreSQL server. */

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

describe('bulk indicator SQL', () => {
  it('tags travel as array literals and come back as they were: quotes, backslashes, commas, braces, NULL, empty, non-ASCII', async () => {
    const db = t.database.db;
    const fixed = [['tlp:amber', 'rsit:malicious-code="ransomware"'], [], ['a,b', '{x}', 'NULL', '', ' spaced ', 'back\\slash', '"quoted"', 'ziekenhuis-ä-🦠']];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.string({ maxLength: 12 }).filter((s) => !s.includes('\u0000')), { maxLength: 4 }), { minLength: 1, maxLength: 5 }), async (sample) => {
        const rows = [...fixed, ...sample];
        const back = await sql<{ tags: string[] }>`SELECT u.tags::text[] AS tags FROM unnest(${rows.map(arrayLiteral)}::text[]) WITH ORDINALITY AS u(tags, n) ORDER BY n`.execute(db);
        expect(back.rows.map((r) => r.tags)).toEqual(rows);
      }),
      { numRuns: 40 },
    );
  });

  it("an indicator's owner is its event's owner; deleting the event deletes its indicators", async () => {
    const db = t.database.db;
    const org = async (name: string) => (await sql<{ id: string }>`INSERT INTO organisations (kind, name, segment) VALUES ('participant', ${name}, 'hospital') RETURNING id`.execute(db)).rows[0]!.id;
    const a = await org('Ziekenhuis A');
    const b = await org('Ziekenhuis B');
    const event = (await sql<{ id: string }>`INSERT INTO zdn_events (owner_organisation_id, title, tlp) VALUES (${a}, 'Campagne', 'GREEN') RETURNING id`.execute(db)).rows[0]!.id;
    const value = (await sql<{ id: string }>`INSERT INTO zdn_values (type, value) VALUES ('domain', 'c2.example') RETURNING id`.execute(db)).rows[0]!.id;
    const insert = (owner: string) => sql`INSERT INTO zdn_indicators (event_id, value_id, owner_organisation_id, tlp) VALUES (${event}, ${value}, ${owner}, 'GREEN')`.execute(db);
    await expect(insert(b)).rejects.toThrow(/zdn_indicators_event_owner_fkey/);
    await insert(a);
    await sql`DELETE FROM zdn_events WHERE id = ${event}`.execute(db);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM zdn_indicators WHERE value_id = ${value}`.execute(db)).rows[0]!.n).toBe(0);
  });

  it('a value another transaction stores while the add waits for it still gets its id (PostgreSQL server only: two connections)', async (ctx) => {
    if (!t.url) return ctx.skip();
    const other = new pg.Client({ connectionString: t.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      const mine = await other.query<{ id: string }>(`INSERT INTO zdn_values (type, value) VALUES ('domain', 'race.example') RETURNING id`);
      // The add inserts the same value and has to wait for the open transaction; its probe's snapshot is older than that commit.
      const adding = upsertValues(t.database.db, [valueRow('domain', 'race.example'), valueRow('domain', 'fresh.example')]);
      await new Promise((r) => setTimeout(r, 300));
      await other.query('COMMIT');
      const ids = await adding;
      expect(ids.get(valueKey('domain', 'race.example'))).toBe(Number(mine.rows[0]!.id));
      expect(ids.get(valueKey('domain', 'fresh.example'))).toBeGreaterThan(0);
    } finally {
      await other.end();
    }
  });
});
