import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { loadDemo } from '../../src/modules/demo/demo.service.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/demo-data.ts';
import { closePdfBrowser } from '../../src/lib/pdf.ts';
import { listReviewDue } from '../../src/modules/publications/publication.repository.ts';
import type { PublicationOut } from '../../src/modules/publications/publication.schema.ts';

/** The demo library: a public factsheet, a GREEN whitepaper for participants, an AMBER one for two hospitals, a review due. */
describe('the demo publications', () => {
  let t: TestApp;
  const loginAs = async (email: string): Promise<Credentials> => {
    const res = await call(t, 'POST', '/api/v1/auth/login', null, { email, password: DEMO_PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
    return { cookie: `wp_session=${res.cookies.find((c) => c.name === 'wp_session')!.value}`, csrf: res.json<{ csrfToken: string }>().csrfToken };
  };
  const titles = async (email: string) => {
    const res = await call(t, 'GET', '/api/v1/publications', await loginAs(email));
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: PublicationOut[] }>().items.map((p) => p.title);
  };

  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.system);
  }, 180_000);
  afterAll(async () => {
    await closePdfBrowser();
    await t?.close();
  });

  it('shows each reader what marking and audience allow, and the public site only the CLEAR factsheet', async () => {
    const carla = await titles('ciso@ziekenhuis-noord.example');
    expect(carla).toEqual(
      expect.arrayContaining([
        'Ransomware in de zorg',
        'Segmentatie van medische apparatuur',
        'Lessen uit een inbraak bij een leverancier van patiëntportalen',
      ]),
    );
    // The MSSP is no participant (the whitepaper is for participants) and not named under AMBER.
    const soc = await titles('soc@secureops.example');
    expect(soc).toContain('Ransomware in de zorg');
    expect(soc).not.toContain('Segmentatie van medische apparatuur');
    expect(soc).not.toContain('Lessen uit een inbraak bij een leverancier van patiëntportalen');
    const page = await call(t, 'GET', '/public/publications', null);
    expect(page.body).toContain('Ransomware in de zorg');
    expect(page.body).not.toContain('Segmentatie');
    expect(page.body).not.toContain('Lessen uit');
    // CERT staff log in with a second factor: the list is read straight from the repository.
    const due = await listReviewDue(t.system.db, new Date().toISOString().slice(0, 10));
    expect(due.map((p) => p.title)).toEqual(['Remote access for suppliers']);
  });
});
