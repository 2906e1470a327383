import type { Ctx } from '#server/context.ts';
import type { CaseSeverity, CaseStatus } from '#db/schema-incidents.ts';
import { CASE_SEVERITIES, CASE_STATUSES } from './incident.schema.ts';
import * as repo from './dashboard.repository.ts';
import { collectDeadlines, requireCertStaff, type DeadlineOut } from './deadline.service.ts';

export type OpenStatus = Exclude<CaseStatus, 'closed'>;
export const OPEN_STATUSES = CASE_STATUSES.filter((s): s is OpenStatus => s !== 'closed');

export interface Dashboard {
  openByStatus: Record<OpenStatus, number>;
  openBySeverity: Record<CaseSeverity, number>;
  medianFirstResponseHours: number | null;
  medianContainHours: number | null;
  byCategoryMonth: { month: string; categoryClass: string; count: number }[];
  workload: { userId: string; name: string; openCases: number; openTasks: number }[];
  deadlines: DeadlineOut[];
}

const round1 = (h: number | null) => (h === null ? null : Math.round(h * 10) / 10);

/** The CERT's overview of all cases: what is open, how fast the team responds, who carries what, what is due. */
export async function dashboard(ctx: Ctx, now = new Date()): Promise<Dashboard> {
  requireCertStaff(ctx);
  const openByStatus = Object.fromEntries(OPEN_STATUSES.map((s) => [s, 0])) as Record<OpenStatus, number>;
  const openBySeverity = Object.fromEntries(CASE_SEVERITIES.map((s) => [s, 0])) as Record<CaseSeverity, number>;
  for (const r of await repo.openCounts(ctx.db)) {
    if (r.status in openByStatus) openByStatus[r.status as OpenStatus] += r.n;
    if (r.severity in openBySeverity) openBySeverity[r.severity as CaseSeverity] += r.n;
  }
  const medians = await repo.medianHours(ctx.db);
  const deadlines = await collectDeadlines(ctx, now);
  return {
    openByStatus,
    openBySeverity,
    medianFirstResponseHours: round1(medians.first_response),
    medianContainHours: round1(medians.contain),
    byCategoryMonth: (await repo.byCategoryMonth(ctx.db)).map((r) => ({ month: r.month, categoryClass: r.category_class, count: r.n })),
    workload: (await repo.workload(ctx.db)).map((r) => ({ userId: r.user_id, name: r.name, openCases: r.open_cases, openTasks: r.open_tasks })),
    deadlines: deadlines.slice(0, 10).map(({ organisationIds: _ids, ...d }) => d),
  };
}
