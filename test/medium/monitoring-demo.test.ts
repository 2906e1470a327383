import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { loadDemo } from '../../src/modules/demo/demo.service.ts';

/** A new installation's monitoring is not empty: findings of several participants, found by address, AS and name, in several states. */
describe('the demo monitoring', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.system);
  }, 120_000);
  afterAll(async () => t?.close());

  it("holds findings of the demo participants, matched by AS number and range (never a prospect's range), with one acknowledged and one resolved", async () => {
    const rows = await t.system.db
      .selectFrom('monitoring_findings as f')
      .innerJoin('organisations as o', 'o.id', 'f.organisation_id')
      .select(['o.name', 'f.type', 'f.subject', 'f.status'])
      .orderBy('o.name')
      .orderBy('f.type')
      .execute();
    expect(rows.map((r) => [r.name, r.type, r.subject, r.status])).toEqual([
      ['Apotheek Het Kruispunt', 'infected-system', '203.0.113.40', 'new'],
      ['Regionaal Laboratorium', 'exposed-database', '203.0.113.12', 'new'],
      ['Universitair Medisch Centrum Zuid', 'infected-system', '2001:db8:100::25', 'new'],
      ['Ziekenhuis Noord', 'open-rdp', '192.0.2.10', 'acknowledged'],
      ['Ziekenhuis Noord', 'vulnerable-exchange', '192.0.2.25', 'new'],
      ['Zorggroep De Linde', 'open-rdp', '198.51.100.40', 'resolved'],
    ]);
    const reports = await t.system.db.selectFrom('monitoring_reports').select(['report_type', 'rows_unmatched']).execute();
    expect(reports.find((r) => r.report_type === 'scan_rdp')?.rows_unmatched).toBe(1);
    const zone = await t.system.db.selectFrom('monitoring_sources').select(['enabled']).where('kind', '=', 'dnsbl').executeTakeFirstOrThrow();
    expect(zone.enabled).toBe(false);
  });
});
