import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { loadDemo } from '../../src/modules/demo/demo.service.ts';
import { closePdfBrowser } from '../../src/lib/pdf.ts';
import { buildActor } from '../../src/modules/identity/actor-builder.ts';
import { findUserWithOrgById } from '../../src/modules/identity/identity.repository.ts';
import * as triage from '../../src/modules/intake/triage.service.ts';
import type { Ctx } from '../../src/server/context.ts';

/** The demo intake: the pump advisory and its news as one story for Ziekenhuis Noord, the VPN story with KEV, EPSS and a change, a partner's mail. */
describe('the demo intake', () => {
  let t: TestApp;
  let analyst: Ctx;

  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.system);
    const user = await t.system.db.selectFrom('users').select('id').where('email', '=', 'analyst@cert.example').executeTakeFirstOrThrow();
    analyst = { ...t.system, actor: await buildActor(t.system.db, (await findUserWithOrgById(t.system.db, user.id))!, { sessionId: 'test' }) };
  }, 180_000);
  afterAll(async () => {
    await closePdfBrowser();
    await t?.close();
  });

  it('has one story per subject, enriched, and a CSAF story that becomes a draft advisory', async () => {
    const page = await triage.listStories(analyst, { limit: 50 });
    expect(page.rows).toHaveLength(4);
    expect(page.unread).toBe(4);
    const pump = page.rows.find((s) => s.cves.includes('CVE-2026-21001'))!;
    expect(pump.item_count).toBe(2);
    expect(pump.concerned_organisations).toBe(1);
    const vpn = page.rows.find((s) => s.cves.includes('CVE-2026-20477'))!;
    expect(vpn).toMatchObject({ kev: true, known_ransomware: true, item_count: 2 });
    expect(vpn.epss_max).toBeCloseTo(0.9412, 4);
    expect(vpn.change_note).toMatch(/changed: summary/);
    expect(page.rows.find((s) => s.title.startsWith('Phishingcampagne'))!.tlp).toBe('AMBER');
    const draft = await triage.createDraftAdvisory(analyst, pump.id);
    expect(draft.fromCsaf).toBe(true);
    const product = await t.system.db.selectFrom('products').select(['status', 'draft_title']).where('id', '=', draft.advisoryId).executeTakeFirstOrThrow();
    expect(product).toEqual({ status: 'draft', draft_title: expect.stringContaining('InfuCare') });
  });
});
