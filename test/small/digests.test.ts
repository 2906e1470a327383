import { describe, expect, it } from 'vitest';
import {
  amsterdamInstant,
  digestTitles,
  isValidPeriod,
  lastWorkingDayOfWeek,
  periodBounds,
  periodDays,
  previousMonthOf,
  weekPeriodOf,
} from '../../src/modules/digests/digest-period.ts';
import { productFigures, versionFor, versionTlp, type DigestContent, type DigestEntryContent } from '../../src/modules/digests/digest-content.ts';
import { renderDigestMail } from '../../src/modules/digests/templates/digest-mail.ts';

describe('digest periods (ISO weeks and months in Europe/Amsterdam)', () => {
  it('numbers weeks as ISO 8601 does, across year ends', () => {
    expect(weekPeriodOf('2026-11-23')).toBe('2026-W48');
    expect(weekPeriodOf('2026-11-29')).toBe('2026-W48');
    expect(weekPeriodOf('2026-11-30')).toBe('2026-W49');
    expect(weekPeriodOf('2027-01-03')).toBe('2026-W53');
    expect(weekPeriodOf('2021-01-03')).toBe('2020-W53');
    expect(weekPeriodOf('2024-12-30')).toBe('2025-W01');
    expect(periodDays('week', '2026-W53')).toEqual({ first: '2026-12-28', last: '2027-01-03' });
    expect(isValidPeriod('week', '2026-W53')).toBe(true);
    expect(isValidPeriod('week', '2025-W53')).toBe(false);
    expect(isValidPeriod('month', '2026-13')).toBe(false);
    expect(previousMonthOf('2027-01-04')).toBe('2026-12');
  });

  it('bounds a period by Amsterdam midnights, in winter and in summer time', () => {
    expect(periodBounds('week', '2025-W48')).toEqual({ start: new Date('2025-11-23T23:00:00Z'), end: new Date('2025-11-30T23:00:00Z') });
    // March 2026 starts in winter time and ends in summer time.
    expect(periodBounds('month', '2026-03')).toEqual({ start: new Date('2026-02-28T23:00:00Z'), end: new Date('2026-03-31T22:00:00Z') });
    expect(amsterdamInstant('2026-07-03', '16:00')).toEqual(new Date('2026-07-03T14:00:00Z'));
  });

  it('finds the last working day: Christmas on a Friday moves the week to Thursday, a CERT day off further back', () => {
    expect(lastWorkingDayOfWeek('2026-W48', new Map())).toBe('2026-11-27');
    expect(lastWorkingDayOfWeek('2026-W52', new Map())).toBe('2026-12-24');
    expect(lastWorkingDayOfWeek('2026-W52', new Map([['2026-12-24', { working: false, note: 'Kerstavond vrij' }]]))).toBe('2026-12-23');
    // A Saturday the CERT works counts too.
    expect(lastWorkingDayOfWeek('2026-W48', new Map([['2026-11-28', { working: true, note: 'Oefening' }]]))).toBe('2026-11-28');
  });

  it('titles a digest with its ISO week number, in Dutch and English', () => {
    expect(digestTitles('week', '2026-W48')).toEqual({ nl: 'Week 48, 2026 — Weekoverzicht', en: 'Week 48, 2026 — Weekly overview' });
    expect(digestTitles('month', '2026-11')).toEqual({ nl: 'November 2026 — Maandoverzicht', en: 'November 2026 — Monthly overview' });
  });
});

const entry = (over: Partial<DigestEntryContent>): DigestEntryContent => ({
  id: 'e',
  kind: 'product',
  productId: 'p',
  productKind: 'advisory',
  identifier: 'WP-2026-0001',
  title: 'Titel',
  titleEn: 'Title',
  summary: '',
  summaryEn: null,
  url: 'https://cert.example/advisories/WP-2026-0001',
  sourceName: '',
  tlp: 'CLEAR',
  recipients: [],
  ownerOrganisationId: 'cert',
  urgency: 'normal',
  vendors: [],
  publishedAt: null,
  updated: false,
  ...over,
});

const month: DigestContent = {
  digestId: 'd',
  kind: 'month',
  period: '2026-10',
  title: 'Oktober 2026 — Maandoverzicht',
  titleEn: 'October 2026 — Monthly overview',
  introduction: 'Een **rustige** maand.',
  commentary: 'Let op *pompen*.',
  entries: [
    entry({ id: 'a', title: 'Open advies', urgency: 'urgent', vendors: ['MedTech', 'Acme'] }),
    entry({ id: 'b', title: 'Geheim advies', tlp: 'RED', recipients: ['org-b'], vendors: ['SecretVendor'] }),
    entry({ id: 'c', productKind: 'alert', identifier: 'WP-ALERT-2026-0001', title: 'Alarm', tlp: 'AMBER', vendors: ['MedTech'] }),
  ],
  figures: { monitoring: { opened: 7, resolved: 3 }, zdn: { indicatorsAdded: 12, sightings: 0 }, incidents: [{ category: 'malicious-code', count: 2 }] },
  certName: 'CERT',
  archiveUrl: 'https://cert.example/digests/d',
};

describe('a reader version and its figures', () => {
  it('counts products only from the entries the version holds, so a hidden product leaves no trace', () => {
    const v = versionFor(month, new Set(['a', 'c']));
    expect(v.entries.map((e) => e.id)).toEqual(['a', 'c']);
    expect(versionTlp(v)).toBe('AMBER');
    expect(productFigures(v)).toEqual({
      byKind: { advisory: 1, info: 0, alert: 1 },
      advisoriesByUrgency: { urgent: 1, normal: 0 },
      topVendors: [
        { vendor: 'MedTech', count: 2 },
        { vendor: 'Acme', count: 1 },
      ],
    });
    const mail = renderDigestMail(v, ['nl', 'en'], 'https://cert.example/account');
    expect(mail.subject).toBe('[TLP:AMBER] Oktober 2026 — Maandoverzicht');
    expect(mail.text).not.toContain('SecretVendor');
    expect(mail.html).not.toContain('Geheim advies');
  });

  it('draws every chart as a table with widths and writes each value as text, in mail HTML and plain text', () => {
    const mail = renderDigestMail(versionFor(month, new Set(['a', 'b', 'c'])), ['nl'], 'https://cert.example/account');
    expect(mail.html).toContain('Monitoring: bevindingen');
    expect(mail.html).toMatch(
      /<td[^>]*>Geopend<\/td><td[^>]*><table role="presentation" cellpadding="0" cellspacing="0" width="100%">.*?<\/table><\/td><td[^>]*><strong>7<\/strong><\/td>/,
    );
    expect(mail.html).toMatch(/<td[^>]*>Opgelost<\/td><td[^>]*><table role="presentation" cellpadding="0" cellspacing="0" width="43%">/);
    expect(mail.html).toContain('Kwaadaardige code');
    expect(mail.html).toContain('<strong>rustige</strong>');
    expect(mail.html).toContain('<em>pompen</em>');
    expect(mail.text).toMatch(/Geopend\s+7 {2}#{30}/);
    expect(mail.text).toMatch(/Waarnemingen\s+0 {2}$/m);
    expect(mail.text).toContain('Commentaar:\nLet op pompen.');
  });
});
