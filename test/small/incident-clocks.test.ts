import { describe, expect, it } from 'vitest';
import { addOneMonth, computeClocks, type ClockFacts } from '../../src/modules/incidents/clocks.ts';
import { amsterdamTime } from '../../src/modules/incidents/incident-format.ts';

const AWARE = new Date('2026-03-10T08:00:00Z');
const HOUR = 3_600_000;
const at = (hoursAfterAware: number) => new Date(AWARE.getTime() + hoursAfterAware * HOUR);

function facts(over: Partial<ClockFacts> = {}): ClockFacts {
  return {
    nis2Applies: true,
    personalData: false,
    awareAt: AWARE,
    earlyWarningAt: null,
    notificationAt: null,
    finalReportAt: null,
    dpaNotifiedAt: null,
    ...over,
  };
}

const byName = (f: ClockFacts, now: Date, soon = 6) => Object.fromEntries(computeClocks(f, now, soon).map((c) => [c.clock, c]));

describe('NIS2 clocks', () => {
  it('puts the early warning 24 h and the notification 72 h after becoming aware', () => {
    const c = byName(facts(), at(1));
    expect(c.nis2_early_warning?.dueAt).toBe('2026-03-11T08:00:00.000Z');
    expect(c.nis2_notification?.dueAt).toBe('2026-03-13T08:00:00.000Z');
  });

  it('has no final-report due time until the notification is made, then one calendar month after it', () => {
    expect(byName(facts(), at(1)).nis2_final_report).toMatchObject({ dueAt: null, state: 'waiting' });
    const c = byName(facts({ notificationAt: new Date('2026-03-12T15:30:00Z') }), at(50));
    expect(c.nis2_final_report?.dueAt).toBe('2026-04-12T15:30:00.000Z');
  });

  it('counts one month from 31 January as the end of February (28 days, 29 in a leap year)', () => {
    expect(addOneMonth(new Date('2026-01-31T10:00:00Z')).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addOneMonth(new Date('2028-01-31T10:00:00Z')).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(addOneMonth(new Date('2026-12-31T23:00:00Z')).toISOString()).toBe('2027-01-31T23:00:00.000Z');
    expect(addOneMonth(new Date('2026-03-31T12:00:00Z')).toISOString()).toBe('2026-04-30T12:00:00.000Z');
    const c = byName(facts({ awareAt: new Date('2026-01-29T10:00:00Z'), notificationAt: new Date('2026-01-31T10:00:00Z') }), new Date('2026-02-01T00:00:00Z'));
    expect(c.nis2_final_report?.dueAt).toBe('2026-02-28T10:00:00.000Z');
  });

  it('moves from open to due_soon inside the window, to overdue after the due time, and to met once done', () => {
    expect(byName(facts(), at(1)).nis2_early_warning?.state).toBe('open');
    expect(byName(facts(), at(17.9)).nis2_early_warning?.state).toBe('open');
    expect(byName(facts(), at(18)).nis2_early_warning?.state).toBe('due_soon');
    expect(byName(facts(), at(24)).nis2_early_warning?.state).toBe('due_soon');
    expect(byName(facts(), at(24.01)).nis2_early_warning?.state).toBe('overdue');
    expect(byName(facts(), at(30)).nis2_notification?.state).toBe('open');
    expect(byName(facts(), at(80)).nis2_notification?.state).toBe('overdue');
    // A notification made late is still met (the clock records when, not whether it was in time).
    const late = byName(facts({ earlyWarningAt: at(30) }), at(31)).nis2_early_warning;
    expect(late).toMatchObject({ state: 'met', metAt: at(30).toISOString() });
  });

  it('follows the window it is given', () => {
    expect(byName(facts(), at(10), 14).nis2_early_warning?.state).toBe('due_soon');
    expect(byName(facts(), at(10), 6).nis2_early_warning?.state).toBe('open');
  });

  it('has no NIS2 clocks when NIS2 does not apply', () => {
    expect(computeClocks(facts({ nis2Applies: false }), at(1))).toEqual([]);
  });
});

describe('GDPR clock', () => {
  it('runs only when personal data is involved: 72 h to the Dutch DPA', () => {
    expect(byName(facts({ nis2Applies: false }), at(1)).gdpr_breach).toBeUndefined();
    const c = byName(facts({ nis2Applies: false, personalData: true }), at(70));
    expect(Object.keys(c)).toEqual(['gdpr_breach']);
    expect(c.gdpr_breach).toMatchObject({ dueAt: '2026-03-13T08:00:00.000Z', state: 'due_soon', metAt: null });
    expect(byName(facts({ nis2Applies: false, personalData: true }), at(73)).gdpr_breach?.state).toBe('overdue');
    expect(byName(facts({ nis2Applies: false, personalData: true, dpaNotifiedAt: at(40) }), at(73)).gdpr_breach?.state).toBe('met');
  });

  it('runs next to the NIS2 clocks when both apply', () => {
    expect(computeClocks(facts({ personalData: true }), at(1)).map((c) => c.clock)).toEqual([
      'nis2_early_warning',
      'nis2_notification',
      'nis2_final_report',
      'gdpr_breach',
    ]);
  });
});

describe('Amsterdam time in reports and mail', () => {
  it('shows wall-clock time with the zone in winter and summer', () => {
    expect(amsterdamTime(new Date('2026-01-15T09:30:00Z'))).toBe('2026-01-15 10:30:00 CET');
    expect(amsterdamTime(new Date('2026-07-15T09:30:00Z'), false)).toBe('2026-07-15 11:30 CEST');
  });
});

describe('RSIT labels', () => {
  it('name every class and type of the taxonomy in Dutch and English', async () => {
    const { RSIT } = await import('../../src/lib/rsit.ts');
    const { RSIT_CLASS_LABELS, RSIT_TYPE_LABELS, rsitTypeLabel } = await import('../../src/lib/rsit-labels.ts');
    for (const [cls, types] of Object.entries(RSIT)) {
      expect(RSIT_CLASS_LABELS[cls], cls).toBeDefined();
      for (const type of types) expect(RSIT_TYPE_LABELS[type], type).toMatchObject({ nl: expect.any(String), en: expect.any(String) });
    }
    expect(rsitTypeLabel('unauthorised-information-access', 'nl')).toBe('Onbevoegde toegang tot informatie');
    expect(rsitTypeLabel('a-type-added-later', 'en')).toBe('a-type-added-later');
  });
});
