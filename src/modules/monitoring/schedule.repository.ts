import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';

/**
 * Takes up to `n` queries from a zone's budget for the day, under a row lock, and returns how many
 * it granted (0 when spent). Several processes checking at once together stay within the budget.
 */
export async function reserveQueries(db: Kysely<DB>, zone: string, day: string, n: number, budget: number): Promise<number> {
  return db.transaction().execute(async (tx) => {
    await tx
      .insertInto('monitoring_dns_budget')
      .values({ zone, day, used: 0 })
      .onConflict((oc) => oc.columns(['zone', 'day']).doNothing())
      .execute();
    const row = await tx
      .selectFrom('monitoring_dns_budget')
      .select('used')
      .where('zone', '=', zone)
      .where('day', '=', day)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const granted = Math.max(0, Math.min(n, budget - row.used));
    if (granted > 0)
      await tx
        .updateTable('monitoring_dns_budget')
        .set({ used: row.used + granted })
        .where('zone', '=', zone)
        .where('day', '=', day)
        .execute();
    return granted;
  });
}

export async function budgetUsed(db: Kysely<DB>, zone: string, day: string): Promise<number> {
  const row = await db.selectFrom('monitoring_dns_budget').select('used').where('zone', '=', zone).where('day', '=', day).executeTakeFirst();
  return row?.used ?? 0;
}

/** Claims today's run of a kind; false when another process (or an earlier tick) already did. */
export async function claimRun(db: Kysely<DB>, kind: string, day: string): Promise<boolean> {
  const r = await db
    .insertInto('monitoring_runs')
    .values({ kind, day })
    .onConflict((oc) => oc.columns(['kind', 'day']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function finishRun(db: Kysely<DB>, kind: string, day: string): Promise<void> {
  await db.updateTable('monitoring_runs').set({ finished_at: new Date() }).where('kind', '=', kind).where('day', '=', day).execute();
}

export async function calendarOverrides(db: Kysely<DB>, fromDay: string, toDay: string) {
  const r = await sql<{
    day: string;
    working: boolean;
    note: string;
  }>`SELECT day::text AS day, working, note FROM monitoring_calendar WHERE day BETWEEN ${fromDay}::date AND ${toDay}::date ORDER BY day`.execute(db);
  return r.rows;
}

export async function setCalendarDay(db: Kysely<DB>, day: string, working: boolean | null, note: string): Promise<void> {
  if (working === null) {
    await db.deleteFrom('monitoring_calendar').where('day', '=', day).execute();
    return;
  }
  await db
    .insertInto('monitoring_calendar')
    .values({ day, working, note })
    .onConflict((oc) => oc.column('day').doUpdateSet({ working, note }))
    .execute();
}
