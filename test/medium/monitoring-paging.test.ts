/**
 * Paging of the CERT's reports and of a report's unreadable rows (keyset cursors, every item exactly
 * once, a 400 for a cursor or limit this API did not give out), and the chart's second series: findings
 * under accepted risk at the end of each day, counted from the day the risk was accepted.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser } from '../helpers/factories.ts';
import { upsertFindings } from '../../src/modules/monitoring/finding.repository.ts';
import * as reportRepo from '../../src/modules/monitoring/report.repository.ts';

let t: TestApp;
let analyst: Credentials;
let participant: Credentials;
let hospital: string;
let elsewhere: string;

beforeAll(async () => {
  t = await createTestApp();
  const cert = await makeOrganisation(t, 'cert');
  hospital = (await makeOrganisation(t, 'participant', 'Ziekenhuis Paging')).id;
  elsewhere = (await makeOrganisation(t, 'participant', 'Zorg Elders')).id;
  analyst = await login(t, await makeUser(t, cert.id, 'cert-analyst'));
  participant = await login(t, await makeUser(t, hospital, 'participant-admin'));
});
afterAll(async () => t?.close());

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
type FailedRow = { line: number; raw: string; reason: string };

/** Follows nextCursor from the first page to the last; returns the pages' items in the order given. */
async function allPages<T>(url: string, as: Credentials): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res = await call(t, 'GET', cursor ? `${url}${sep}cursor=${encodeURIComponent(cursor)}` : url, as);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<Page<T>>();
    items.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
    expect(pages).toBeLessThan(50);
  } while (cursor);
  return { items, pages };
}

async function report(fileName: string, createdAt: string): Promise<string> {
  const id = await reportRepo.insertReport(t.system.db, {
    sourceId: null,
    sourceKind: 'shadowserver',
    reportType: 'scan_rdp',
    fileName,
    via: 'upload',
    createdBy: null,
  });
  await sql`UPDATE monitoring_reports SET created_at = ${createdAt}::timestamptz WHERE id = ${id}::uuid`.execute(t.system.db);
  return id;
}

describe('reports, a page at a time', () => {
  let ids: string[] = [];
  let withFailed: string;

  beforeAll(async () => {
    // Two reports in one microsecond (the id decides), two a microsecond apart (a millisecond cursor would skip one).
    const made = [
      { id: await report('a.csv', '2026-11-20T10:00:00.000000Z'), at: '2026-11-20T10:00:00.000000Z' },
      { id: await report('b.csv', '2026-11-21T10:00:00.000100Z'), at: '2026-11-21T10:00:00.000100Z' },
      { id: await report('c.csv', '2026-11-21T10:00:00.000200Z'), at: '2026-11-21T10:00:00.000200Z' },
      { id: await report('d.csv', '2026-11-22T10:00:00.000000Z'), at: '2026-11-22T10:00:00.000000Z' },
      { id: await report('e.csv', '2026-11-22T10:00:00.000000Z'), at: '2026-11-22T10:00:00.000000Z' },
    ];
    // Newest first; within one instant the larger id first (uuids compare as their hex text).
    ids = made.sort((x, y) => (x.at === y.at ? (x.id < y.id ? 1 : -1) : x.at < y.at ? 1 : -1)).map((r) => r.id);
    withFailed = ids[0]!;
    await reportRepo.insertFailedRows(
      t.system.db,
      withFailed,
      [13, 2, 8, 3, 5].map((line) => ({ line, raw: `row ${line}`, reason: `unreadable ${line}` })),
    );
  });

  it('pages through every report exactly once, newest first, with limit=2', async () => {
    const first = await call(t, 'GET', '/api/v1/monitoring/reports?limit=2', analyst);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<Page<{ id: string }>>().items.map((r) => r.id)).toEqual(ids.slice(0, 2));
    const all = await allPages<{ id: string; fileName: string }>('/api/v1/monitoring/reports?limit=2', analyst);
    expect(all.items.map((r) => r.id)).toEqual(ids);
    expect(all.pages).toBe(3);
    // Without a limit: 50, i.e. all five on one page and no next.
    expect((await call(t, 'GET', '/api/v1/monitoring/reports', analyst)).json<Page<{ id: string }>>()).toMatchObject({
      items: expect.any(Array),
      nextCursor: null,
    });
    // A page that ends exactly at the last report has no next cursor.
    expect((await call(t, 'GET', '/api/v1/monitoring/reports?limit=5', analyst)).json<Page<{ id: string }>>().nextCursor).toBeNull();
  });

  it('pages through the failed rows by line, and the detail holds the first page with the total', async () => {
    const all = await allPages<FailedRow>(`/api/v1/monitoring/reports/${withFailed}/failed-rows?limit=2`, analyst);
    expect(all.items.map((r) => r.line)).toEqual([2, 3, 5, 8, 13]);
    expect(all.items[2]).toEqual({ line: 5, raw: 'row 5', reason: 'unreadable 5' });
    expect(all.pages).toBe(3);
    const detail = (await call(t, 'GET', `/api/v1/monitoring/reports/${withFailed}`, analyst)).json<{
      id: string;
      failedRows: FailedRow[];
      failedRowsNextCursor: string | null;
      failedRowsTotal: number;
    }>();
    expect(detail).toMatchObject({ id: withFailed, failedRowsNextCursor: null, failedRowsTotal: 5 });
    expect(detail.failedRows.map((r) => r.line)).toEqual([2, 3, 5, 8, 13]);
  });

  it('gives the detail the first 50 failed rows and a cursor that the failed-rows route continues from', async () => {
    const id = await report('many.csv', '2026-11-01T00:00:00Z');
    const lines = Array.from({ length: 53 }, (_, i) => i + 2);
    await reportRepo.insertFailedRows(
      t.system.db,
      id,
      lines.map((line) => ({ line, raw: `r${line}`, reason: 'bad' })),
    );
    const detail = (await call(t, 'GET', `/api/v1/monitoring/reports/${id}`, analyst)).json<{
      failedRows: FailedRow[];
      failedRowsNextCursor: string | null;
      failedRowsTotal: number;
    }>();
    expect(detail.failedRowsTotal).toBe(53);
    expect(detail.failedRows.map((r) => r.line)).toEqual(lines.slice(0, 50));
    expect(detail.failedRowsNextCursor).toEqual(expect.any(String));
    const rest = await call(
      t,
      'GET',
      `/api/v1/monitoring/reports/${id}/failed-rows?limit=2&cursor=${encodeURIComponent(detail.failedRowsNextCursor!)}`,
      analyst,
    );
    expect(rest.json<Page<FailedRow>>().items.map((r) => r.line)).toEqual([52, 53]);
    const last = await call(
      t,
      'GET',
      `/api/v1/monitoring/reports/${id}/failed-rows?limit=2&cursor=${encodeURIComponent(rest.json<Page<FailedRow>>().nextCursor!)}`,
      analyst,
    );
    expect(last.json<Page<FailedRow>>()).toEqual({ items: [{ line: 54, raw: 'r54', reason: 'bad' }], nextCursor: null });
  });

  it('answers 400 with a stable code for a cursor or limit it did not give out, never 500', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const reportCursor = (await call(t, 'GET', '/api/v1/monitoring/reports?limit=1', analyst)).json<Page<unknown>>().nextCursor!;
    const lineCursor = (await call(t, 'GET', `/api/v1/monitoring/reports/${withFailed}/failed-rows?limit=1`, analyst)).json<Page<unknown>>().nextCursor!;
    const badCursors = ['garbage', b64(['not-a-date', '00000000-0000-0000-0000-000000000000']), b64({}), '%E2%82', 'x'.repeat(150)];
    for (const cursor of [...badCursors, lineCursor]) {
      const res = await call(t, 'GET', `/api/v1/monitoring/reports?cursor=${encodeURIComponent(cursor)}`, analyst);
      expect(res.statusCode, `${cursor}: ${res.body}`).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('invalid_cursor');
    }
    for (const cursor of [...badCursors, reportCursor, b64(['line', 1.5]), b64(['line', 2 ** 40]), b64(['line', '3'])]) {
      const res = await call(t, 'GET', `/api/v1/monitoring/reports/${withFailed}/failed-rows?cursor=${encodeURIComponent(cursor)}`, analyst);
      expect(res.statusCode, `${cursor}: ${res.body}`).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('invalid_cursor');
    }
    for (const limit of ['0', '201', 'abc', '-1', '2.5']) {
      for (const url of ['/api/v1/monitoring/reports', `/api/v1/monitoring/reports/${withFailed}/failed-rows`]) {
        const res = await call(t, 'GET', `${url}?limit=${limit}`, analyst);
        expect(res.statusCode, `${url} limit=${limit}: ${res.body}`).toBe(400);
        expect(res.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
      }
    }
    expect((await call(t, 'GET', '/api/v1/monitoring/reports?limit=200', analyst)).statusCode).toBe(200);
    const missing = await call(t, 'GET', '/api/v1/monitoring/reports/00000000-0000-4000-8000-000000000000/failed-rows', analyst);
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ error: { code: string } }>().error.code).toBe('report_not_found');
  });

  it("keeps reports and their failed rows the CERT's: a participant is refused", async () => {
    for (const url of ['/api/v1/monitoring/reports', `/api/v1/monitoring/reports/${withFailed}/failed-rows`]) {
      expect((await call(t, 'GET', url, participant)).statusCode).toBe(403);
      expect((await call(t, 'GET', url, null)).statusCode).toBe(401);
    }
  });
});

describe('the chart: findings under accepted risk per day', () => {
  const DAY = 24 * 3600 * 1000;
  type Day = { day: string; open: number; acceptedRisk: number };

  async function finding(organisationId: string, subject: string, seenAt: number): Promise<string> {
    await upsertFindings(t.system.db, 'Paging scan', [
      { organisationId, assetId: null, type: 'open-rdp', subject, port: 3389, severity: 'high', seenAt, evidence: {} },
    ]);
    const row = await t.system.db
      .selectFrom('monitoring_findings')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('subject', '=', subject)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function setStatus(id: string, status: string, as: Credentials = participant) {
    const res = await call(t, 'POST', `/api/v1/monitoring/findings/${id}/status`, as, { status, note: 'Legacy system, isolated; replaced next year.' });
    expect(res.statusCode, res.body).toBe(200);
  }

  /** The day (as the stats name it) of the finding's latest acceptance, read from its history. */
  async function acceptanceDay(id: string): Promise<string> {
    const r = await sql<{ day: string }>`SELECT to_char(date_trunc('day', max(at)), 'YYYY-MM-DD') AS day FROM monitoring_finding_events
      WHERE finding_id = ${id}::uuid AND kind = 'status' AND to_status = 'accepted_risk'`.execute(t.system.db);
    return r.rows[0]!.day;
  }

  async function series(as: Credentials, organisationId?: string): Promise<Day[]> {
    const res = await call(t, 'GET', `/api/v1/monitoring/stats${organisationId ? `?organisationId=${organisationId}` : ''}`, as);
    expect(res.statusCode, res.body).toBe(200);
    const days = res.json<{ openOverTime: Day[] }>().openOverTime;
    expect(days).toHaveLength(90);
    return days;
  }

  const on = (days: Day[], day: string) => {
    const i = days.findIndex((d) => d.day === day);
    expect(i, `${day} is in the series`).toBeGreaterThan(0);
    return { today: days[i]!, before: days[i - 1]! };
  };

  it('counts an accepted finding from the day it was accepted, while open drops it that day', async () => {
    const accepted = await finding(hospital, '198.51.100.10', Date.now() - 10 * DAY);
    await finding(hospital, '198.51.100.11', Date.now() - 10 * DAY);
    // Accepted, then resolved: no longer under accepted risk.
    const thenResolved = await finding(hospital, '198.51.100.12', Date.now() - 10 * DAY);
    // Another participant's acceptance is not in this participant's picture.
    const others = await finding(elsewhere, '192.0.2.10', Date.now() - 10 * DAY);
    const before = await series(participant);
    expect(before[before.length - 1]).toMatchObject({ open: 3, acceptedRisk: 0 });

    await setStatus(accepted, 'accepted_risk');
    await setStatus(thenResolved, 'accepted_risk');
    await setStatus(thenResolved, 'resolved');
    await setStatus(others, 'accepted_risk', analyst);

    const day = await acceptanceDay(accepted);
    const mine = on(await series(participant), day);
    expect(mine.before).toMatchObject({ open: 3, acceptedRisk: 0 });
    expect(mine.today).toMatchObject({ day, open: 1, acceptedRisk: 1 });
    // The CERT's view of this participant, and of the sector (both participants' acceptances).
    expect(on(await series(analyst, hospital), day).today).toMatchObject({ open: 1, acceptedRisk: 1 });
    expect(on(await series(analyst), day).today).toMatchObject({ open: 1, acceptedRisk: 2 });
  });

  it('dates the acceptance by the status change in the history, not by a later sighting', async () => {
    const id = await finding(hospital, '198.51.100.20', Date.now() - 20 * DAY);
    await setStatus(id, 'accepted_risk');
    // As if accepted four days ago at noon.
    const fourDaysAgo = sql`date_trunc('day', now()) - interval '4 days' + interval '12 hours'`;
    await sql`UPDATE monitoring_finding_events SET at = ${fourDaysAgo} WHERE finding_id = ${id}::uuid AND kind = 'status'`.execute(t.system.db);
    await sql`UPDATE monitoring_findings SET updated_at = ${fourDaysAgo} WHERE id = ${id}::uuid`.execute(t.system.db);
    const day = await acceptanceDay(id);
    const baseline = on(await series(participant), day);
    expect(baseline.today.acceptedRisk - baseline.before.acceptedRisk).toBe(1);
    expect(baseline.before.open - baseline.today.open).toBe(1);

    // Seen again in a report today: the finding stays accepted, and so does its acceptance day.
    await finding(hospital, '198.51.100.20', Date.now());
    const moved = on(await series(participant), day);
    expect(moved.today.acceptedRisk - moved.before.acceptedRisk).toBe(1);
    // Nor is it open again on the days since: open and accepted risk read the same acceptance.
    expect(moved.before.open - moved.today.open).toBe(1);
    expect(moved.today.open).toBe(baseline.today.open);
  });
});
