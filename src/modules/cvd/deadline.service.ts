import { inTransaction, type Ctx } from '#server/context.ts';
import { authorize } from '#modules/access/policy.ts';
import { forbidden } from '#server/errors.ts';
import { isCertRole } from '#modules/access/permissions.ts';
import { queueMail } from '#modules/mail/outbox.service.ts';
import { notifyUsers } from '#modules/notifications/notification.service.ts';
import { certStaffIds } from '#modules/notifications/notification.repository.ts';
import { CVD_STATUSES, type CvdStatus } from '#db/schema-cvd.ts';
import * as repo from './cvd.repository.ts';
import { disclosureState, firstResponseState } from './deadlines.ts';
import { presentSummary } from './cvd.presenter.ts';
import { workingDayOverrides } from './intake.service.ts';
import { reminderMail } from './cvd-mail-text.ts';
import type { CvdSummaryOut } from './cvd.schema.ts';

/**
 * The CVD clocks for the CERT: a dashboard of cases whose first answer or disclosure date is near or
 * past, and reminders (portal inbox and mail through the outbox) to the assignee, or to all CERT
 * staff when nobody is assigned. Each reminder is claimed once per case, clock and stage, so a job
 * that runs every few minutes in several processes sends it once.
 */

export interface CvdDashboard {
  firstResponse: { overdue: CvdSummaryOut[]; soon: CvdSummaryOut[] };
  disclosure: { overdue: CvdSummaryOut[]; soon: CvdSummaryOut[] };
  counts: Record<CvdStatus, number>;
}

export async function dashboard(ctx: Ctx, now: Date = new Date()): Promise<CvdDashboard> {
  authorize(ctx.actor, 'cvd:read');
  if (!isCertRole(ctx.actor.role)) throw forbidden('The CVD dashboard is the CERT’s.');
  const [rows, overrides, counts] = await Promise.all([
    repo.listCases(ctx.db, { scope: null, open: true, after: null, limit: 1000 }),
    workingDayOverrides(ctx, now),
    repo.statusCounts(ctx.db),
  ]);
  const out: CvdDashboard = { firstResponse: { overdue: [], soon: [] }, disclosure: { overdue: [], soon: [] }, counts: Object.fromEntries(CVD_STATUSES.map((s) => [s, counts.get(s) ?? 0])) as Record<CvdStatus, number> };
  for (const r of rows) {
    const summary = presentSummary(r, overrides, now);
    const fr = summary.firstResponse.state;
    if (fr === 'overdue' || fr === 'soon') out.firstResponse[fr].push(summary);
    const d = disclosureState({ due: r.disclosure_due, closed: r.closed_at !== null, now }).state;
    if (d === 'overdue' || d === 'soon') out.disclosure[d].push(summary);
  }
  out.disclosure.overdue.sort((a, b) => a.disclosureDue.localeCompare(b.disclosureDue));
  out.disclosure.soon.sort((a, b) => a.disclosureDue.localeCompare(b.disclosureDue));
  return out;
}

export async function sendCvdReminders(ctx: Ctx, now: Date): Promise<{ sent: number }> {
  const overrides = await workingDayOverrides(ctx, now);
  let sent = 0;
  for (const c of await repo.openCases(ctx.db)) {
    const fr = firstResponseState({ due: c.first_response_due, metAt: c.first_response_at, closed: false, now, overrides }).state;
    if (fr === 'soon' || fr === 'overdue') sent += await remind(ctx, c, 'first_response', fr, c.first_response_due.toISOString().slice(0, 10));
    const d = disclosureState({ due: c.disclosure_due, closed: false, now }).state;
    if (d === 'soon' || d === 'overdue') sent += await remind(ctx, c, 'disclosure', d, c.disclosure_due);
  }
  return { sent };
}

async function remind(ctx: Ctx, c: Awaited<ReturnType<typeof repo.openCases>>[number], clock: 'first_response' | 'disclosure', stage: 'soon' | 'overdue', due: string): Promise<number> {
  return inTransaction(ctx, async (tx) => {
    if (!(await repo.claimReminder(tx.db, c.id, clock, stage))) return 0;
    const userIds = c.assignee_user_id ? [c.assignee_user_id] : await certStaffIds(tx.db);
    const what = clock === 'first_response' ? 'first answer to the finder' : 'disclosure date';
    await notifyUsers(tx, userIds, { kind: 'cvd.deadline', title: `${c.reference}: ${what} ${stage === 'overdue' ? 'is past' : 'is near'} (${due})`, link: `/cvd-cases/${c.id}`, subjectType: 'cvd_case', subjectId: c.id, dedupeKey: `cvd:${c.id}:deadline:${clock}:${stage}:${due}` });
    for (const u of await repo.usersByIds(tx.db, userIds)) {
      await queueMail(tx, `cvd:${c.id}:deadline:${clock}:${stage}:${due}:${u.id}`, reminderMail({ to: u.email, reference: c.reference, title: c.title, clock, stage, due, link: `${tx.services.config.publicUrl}/cvd-cases/${c.id}` }));
    }
    return 1;
  });
}
