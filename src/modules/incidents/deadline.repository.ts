import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { ClockColumns } from './clocks.ts';

/** An open case that still has a NIS2 or GDPR duty to meet, with what the clocks are computed from. */
export interface ClockCaseRow extends ClockColumns {
  id: string;
  reference: string;
  title: string;
  organisations: string[];
  organisation_ids: string[];
}

/**
 * Open, unmerged cases with at least one clock not yet met. The clocks themselves are computed in
 * clocks.ts (one rule for the case page, the dashboard and the reminders), not in SQL.
 */
export async function casesWithRunningClocks(db: Kysely<DB>): Promise<ClockCaseRow[]> {
  const r = await sql<ClockCaseRow>`SELECT c.id, c.reference, c.title, c.nis2_applies, c.personal_data, c.aware_at,
      c.early_warning_at, c.notification_at, c.final_report_at, c.dpa_notified_at,
      ARRAY(SELECT o.name FROM incident_case_organisations co JOIN organisations o ON o.id = co.organisation_id WHERE co.case_id = c.id ORDER BY o.name) AS organisations,
      ARRAY(SELECT co.organisation_id FROM incident_case_organisations co WHERE co.case_id = c.id ORDER BY co.organisation_id) AS organisation_ids
    FROM incident_cases c
    WHERE c.status <> 'closed' AND c.merged_into_id IS NULL
      AND ((c.nis2_applies AND (c.early_warning_at IS NULL OR c.notification_at IS NULL OR c.final_report_at IS NULL))
        OR (c.personal_data AND c.dpa_notified_at IS NULL))
    ORDER BY c.aware_at, c.id`.execute(db);
  return r.rows;
}

export interface MailRecipient {
  id: string;
  email: string;
  locale: 'nl' | 'en';
}

/** The active users of the affected organisations: the people who have to make the notification. */
export async function activeUsersOf(db: Kysely<DB>, organisationIds: readonly string[]): Promise<MailRecipient[]> {
  if (!organisationIds.length) return [];
  return (
    db
      .selectFrom('users')
      .select(['id', 'email', 'locale'])
      .where('organisation_id', 'in', organisationIds)
      .where('status', '=', 'active')
      // A fixed order, so two runs at once insert the same outbox keys in the same order (no deadlock).
      .orderBy('id')
      .execute()
  );
}

export async function assigneeIdsOf(db: Kysely<DB>, caseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('incident_case_assignees as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select('a.user_id')
    .where('a.case_id', '=', caseId)
    .where('u.status', '=', 'active')
    .execute();
  return rows.map((r) => r.user_id);
}
