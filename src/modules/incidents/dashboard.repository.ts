import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';

/**
 * The CERT dashboard's figures. Merged cases are left out everywhere: their work moved into the case
 * they were merged into, and counting both would count one incident twice.
 */

export async function openCounts(db: Kysely<DB>): Promise<{ status: string; severity: string; n: number }[]> {
  const r = await sql<{ status: string; severity: string; n: number }>`SELECT status, severity, count(*)::int AS n
    FROM incident_cases WHERE status <> 'closed' AND merged_into_id IS NULL GROUP BY status, severity`.execute(db);
  return r.rows;
}

/**
 * Median hours from opening to first response and to containment, over the cases opened in the last
 * twelve months (the chart's window: how the team does now, not what it did years ago).
 */
export async function medianHours(db: Kysely<DB>): Promise<{ first_response: number | null; contain: number | null }> {
  const r = await sql<{ first_response: number | null; contain: number | null }>`SELECT
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - opened_at)) FILTER (WHERE first_response_at IS NOT NULL)) / 3600 AS first_response,
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM contained_at - opened_at)) FILTER (WHERE contained_at IS NOT NULL)) / 3600 AS contain
    FROM incident_cases
    WHERE merged_into_id IS NULL AND opened_at >= now() - interval '12 months'`.execute(db);
  const row = r.rows[0];
  // numeric arrives as a string from node-postgres and as a number from PGlite.
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return { first_response: num(row?.first_response), contain: num(row?.contain) };
}

/** Cases opened per month (Amsterdam calendar) and RSIT class, this month and the eleven before. */
export async function byCategoryMonth(db: Kysely<DB>): Promise<{ month: string; category_class: string; n: number }[]> {
  const r = await sql<{ month: string; category_class: string; n: number }>`SELECT
      to_char(opened_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM') AS month, category_class, count(*)::int AS n
    FROM incident_cases
    WHERE merged_into_id IS NULL
      AND opened_at AT TIME ZONE 'Europe/Amsterdam' >= date_trunc('month', now() AT TIME ZONE 'Europe/Amsterdam') - interval '11 months'
    GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  return r.rows;
}

/** Every active analyst with the open cases assigned to them and their open tasks on open cases. */
export async function workload(db: Kysely<DB>): Promise<{ user_id: string; name: string; open_cases: number; open_tasks: number }[]> {
  const r = await sql<{ user_id: string; name: string; open_cases: number; open_tasks: number }>`SELECT u.id AS user_id, u.name,
      (SELECT count(*) FROM incident_case_assignees a JOIN incident_cases c ON c.id = a.case_id
        WHERE a.user_id = u.id AND c.status <> 'closed' AND c.merged_into_id IS NULL)::int AS open_cases,
      (SELECT count(*) FROM incident_tasks t JOIN incident_cases c ON c.id = t.case_id
        WHERE t.assignee_user_id = u.id AND t.status = 'open' AND c.status <> 'closed' AND c.merged_into_id IS NULL)::int AS open_tasks
    FROM users u
    WHERE u.role IN ('cert-admin', 'cert-analyst') AND u.status = 'active'
    ORDER BY open_cases DESC, open_tasks DESC, u.name, u.id`.execute(db);
  return r.rows;
}
