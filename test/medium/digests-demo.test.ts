import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { actorCtx } from '../helpers/products.ts';
import { loadDemo } from '../../src/modules/demo/demo.service.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/demo-data.ts';
import { closePdfBrowser } from '../../src/lib/pdf.ts';
import { findUserWithOrgByEmail } from '../../src/modules/identity/identity.repository.ts';
import { getDigest, listDigests } from '../../src/modules/digests/digest.service.ts';
import type { DigestDetailOut, DigestOut } from '../../src/modules/digests/digest.schema.ts';

/** The demo's digests: last week's sent, this week's held with the demo products, last month's in review. */
describe('the demo digests', () => {
  let t: TestApp;
  const loginAs = async (email: string): Promise<Credentials> => {
    const res = await call(t, 'POST', '/api/v1/auth/login', null, { email, password: DEMO_PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
    return { cookie: `wp_session=${res.cookies.find((c) => c.name === 'wp_session')!.value}`, csrf: res.json<{ csrfToken: string }>().csrfToken };
  };

  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.system);
  }, 180_000);
  afterAll(async () => {
    await closePdfBrowser();
    await t?.close();
  });

  it('has a sent week in the archive, each reader seeing the entries the marking allows', async () => {
    const carla = await loginAs('ciso@ziekenhuis-noord.example');
    const archive = (await call(t, 'GET', '/api/v1/digests', carla)).json<{ items: DigestOut[] }>().items;
    expect(archive).toHaveLength(1);
    expect(archive[0]).toMatchObject({ kind: 'week', status: 'sent' });
    expect(archive[0]!.title).toMatch(/^Week \d+, \d{4} — Weekoverzicht$/);
    const forCarla = (await call(t, 'GET', `/api/v1/digests/${archive[0]!.id}`, carla)).json<DigestDetailOut>();
    expect(forCarla.entries.map((e) => e.title)).toEqual([
      'QR-codes in wachtkamers leiden naar nagemaakte inlogpagina',
      'Leverancier van infuuspompen kondigt nieuwe firmware aan',
      'Achtergrond: netwerksegmentatie van medische apparatuur',
    ]);
    // The vendor is outside the community TLP:GREEN reaches.
    const vendor = await loginAs('psirt@medtech.example');
    const forVendor = (await call(t, 'GET', `/api/v1/digests/${archive[0]!.id}`, vendor)).json<DigestDetailOut>();
    expect(forVendor.entries.map((e) => e.title)).not.toContain('Leverancier van infuuspompen kondigt nieuwe firmware aan');
    expect(forVendor.entries).toHaveLength(2);
  });

  it('gives the CERT this week held with the demo products, and last month in review for a second analyst', async () => {
    const analyst = await actorCtx(t, (await findUserWithOrgByEmail(t.system.db, 'analyst@cert.example'))!.id);
    const reviewer = await actorCtx(t, (await findUserWithOrgByEmail(t.system.db, 'analyst2@cert.example'))!.id);
    const { rows } = await listDigests(analyst, { limit: 50 });
    expect(rows.map((r) => `${r.kind}:${r.status}`).sort()).toEqual(['month:in_review', 'week:held', 'week:sent']);
    const held = await getDigest(analyst, rows.find((r) => r.status === 'held')!.id);
    expect(held.content.entries.filter((e) => e.kind === 'product').map((e) => e.title)).toContain('Kwetsbaarheden in InfuCare-infuuspompen');
    const month = rows.find((r) => r.kind === 'month')!;
    expect((await getDigest(analyst, month.id)).editor!.mayApprove).toBe(false);
    expect((await getDigest(reviewer, month.id)).editor!.mayApprove).toBe(true);
    expect((await getDigest(reviewer, month.id)).content.commentary).toContain('meer scans op VPN-servers');
  });
});
