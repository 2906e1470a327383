import { inTransaction, type Ctx } from '#server/context.ts';
import { forbidden } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { isCertRole } from '#modules/access/permissions.ts';
import { queueMail } from '#modules/mail/outbox.service.ts';
import { notifyUsers } from '#modules/notifications/notification.service.ts';
import { certStaffIds } from '#modules/notifications/notification.repository.ts';
import { clockFactsOf, computeClocks } from './clocks.ts';
import * as repo from './deadline.repository.ts';
import { amsterdamTime, CLOCK_LABELS, type ClockName, type Lang } from './incident-format.ts';

/**
 * The NIS2 and GDPR deadlines across all open cases: the CERT's list of what is due next, and the
 * reminders to the affected organisations when a deadline comes close or has passed.
 */

export interface Deadline {
  caseId: string;
  reference: string;
  title: string;
  organisations: string[];
  clock: ClockName;
  dueAt: string;
  state: 'open' | 'due_soon' | 'overdue';
  organisationIds: string[];
}

/** Only CERT staff see every case's deadlines; a participant follows its own in the case room. */
export function requireCertStaff(ctx: Ctx): void {
  authorize(ctx.actor, 'incidents:write');
  if (!isCertRole(ctx.actor.role)) throw forbidden('Only the CERT sees the deadlines of all cases.');
}

/** Every clock not yet met with a known due time, on open cases, soonest (or most overdue) first. */
export async function collectDeadlines(ctx: Ctx, now: Date): Promise<Deadline[]> {
  const soon = ctx.services.config.incidents.reminderHours;
  const out: Deadline[] = [];
  for (const c of await repo.casesWithRunningClocks(ctx.db)) {
    for (const clock of computeClocks(clockFactsOf(c), now, soon)) {
      // 'waiting' (the final report before the notification is made) has no due time yet.
      if (clock.state === 'met' || clock.state === 'waiting' || !clock.dueAt) continue;
      out.push({
        caseId: c.id,
        reference: c.reference,
        title: c.title,
        organisations: c.organisations,
        organisationIds: c.organisation_ids,
        clock: clock.clock,
        dueAt: clock.dueAt,
        state: clock.state,
      });
    }
  }
  return out.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.reference.localeCompare(b.reference) || a.clock.localeCompare(b.clock));
}

export type DeadlineOut = Omit<Deadline, 'organisationIds'>;

export async function upcomingDeadlines(ctx: Ctx, now = new Date()): Promise<DeadlineOut[]> {
  requireCertStaff(ctx);
  return (await collectDeadlines(ctx, now)).map(({ organisationIds: _ids, ...d }) => d);
}

type Stage = 'due_soon' | 'overdue';

const MAIL = {
  nl: {
    subject: (ref: string, clock: ClockName, stage: Stage) =>
      `[TLP:AMBER+STRICT] ${ref}: ${stage === 'overdue' ? 'termijn verstreken' : 'termijn verloopt binnenkort'} — ${CLOCK_LABELS.nl[clock]}`,
    intro: (ref: string, stage: Stage) =>
      stage === 'overdue'
        ? `De wettelijke termijn hieronder voor incident ${ref} is verstreken en in het portaal staat nog niet dat de melding is gedaan.`
        : `De wettelijke termijn hieronder voor incident ${ref} verloopt binnenkort en in het portaal staat nog niet dat de melding is gedaan.`,
    clock: 'Termijn',
    due: 'Uiterlijk',
    done: 'Hebt u de melding al gedaan? Leg het tijdstip vast in het portaal, dan stoppen deze herinneringen:',
    tlp: 'TLP:AMBER+STRICT — alleen voor uw organisatie.',
  },
  en: {
    subject: (ref: string, clock: ClockName, stage: Stage) =>
      `[TLP:AMBER+STRICT] ${ref}: ${stage === 'overdue' ? 'deadline passed' : 'deadline soon'} — ${CLOCK_LABELS.en[clock]}`,
    intro: (ref: string, stage: Stage) =>
      stage === 'overdue'
        ? `The legal deadline below for incident ${ref} has passed, and the portal does not yet record the notification as made.`
        : `The legal deadline below for incident ${ref} is close, and the portal does not yet record the notification as made.`,
    clock: 'Deadline',
    due: 'Due',
    done: 'Already made the notification? Record the time in the portal and these reminders stop:',
    tlp: 'TLP:AMBER+STRICT — for your organisation only.',
  },
} as const;

/**
 * One reminder, in the reader's language first and the other below it. It names the case by its
 * reference only: mail may cross servers we do not control, so the title and the description (which
 * say what happened at the hospital) stay in the portal.
 */
export function composeReminder(
  lang: Lang,
  d: { reference: string; clock: ClockName; dueAt: Date; stage: Stage; link: string },
): { subject: string; text: string } {
  const part = (l: Lang) => {
    const t = MAIL[l];
    return `${t.tlp}\n\n${t.intro(d.reference, d.stage)}\n\n${t.clock}: ${CLOCK_LABELS[l][d.clock]}\n${t.due}: ${amsterdamTime(d.dueAt, false)} (Europe/Amsterdam)\n\n${t.done}\n${d.link}\n`;
  };
  const other: Lang = lang === 'nl' ? 'en' : 'nl';
  return { subject: MAIL[lang].subject(d.reference, d.clock, d.stage), text: `${part(lang)}\n-----\n\n${part(other)}` };
}

export interface ReminderOutcome {
  /** Clock stages due now (each queued at most once, however often this runs). */
  due: number;
  failed: number;
}

/**
 * Queues the reminders that are due: per case, clock and stage (due soon, overdue) one mail to each
 * active user of the affected organisations and one portal notification to the CERT staff and the
 * case's assignees. Each has a key per stage, so a run every five minutes, or two runs at once, send
 * each stage once. A clock already overdue when first seen gets only the overdue reminder.
 */
export async function sendDeadlineReminders(ctx: Ctx, now = new Date()): Promise<ReminderOutcome> {
  const outcome: ReminderOutcome = { due: 0, failed: 0 };
  const due = (await collectDeadlines(ctx, now)).filter((d): d is Deadline & { state: Stage } => d.state !== 'open');
  for (const d of due) {
    // One case's failure (a lock timeout, a broken address row) does not stop the others' reminders.
    await inTransaction(ctx, async (tx) => {
      const key = `incident-deadline:${d.caseId}:${d.clock}:${d.state}`;
      const link = `${tx.services.config.publicUrl}/incidents/${d.caseId}`;
      const dueAt = new Date(d.dueAt);
      for (const u of await repo.activeUsersOf(tx.db, d.organisationIds)) {
        const mail = composeReminder(u.locale, { reference: d.reference, clock: d.clock, dueAt, stage: d.state, link });
        // One outbox row per reader (a mail has one addressee, and organisations must not see each other's addresses).
        await queueMail(tx, `${key}:${u.id}`, { to: u.email, subject: mail.subject, text: mail.text });
      }
      const staff = [...new Set([...(await certStaffIds(tx.db)), ...(await repo.assigneeIdsOf(tx.db, d.caseId))])].sort();
      await notifyUsers(tx, staff, {
        kind: 'incident.deadline',
        title: `${d.reference}: ${d.state === 'overdue' ? 'deadline passed' : 'deadline soon'} — ${CLOCK_LABELS.en[d.clock]}`,
        body: `Due ${amsterdamTime(dueAt, false)} (Europe/Amsterdam). ${d.organisations.join(', ')}`,
        link: `/incidents/${d.caseId}`,
        subjectType: 'incident_case',
        subjectId: d.caseId,
        dedupeKey: key,
      });
      outcome.due++;
    }).catch((err: unknown) => {
      outcome.failed++;
      ctx.services.log.error({ err, caseId: d.caseId, clock: d.clock }, 'incident deadline reminder failed; the next run tries again');
    });
  }
  return outcome;
}
