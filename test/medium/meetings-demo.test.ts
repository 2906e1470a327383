import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { loadDemo } from '../../src/modules/demo/demo.service.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/demo-data.ts';

/** The demo meetings: an upcoming GREEN one with a waiting list, a past AMBER one with RED minutes. */
describe('the demo meetings', () => {
  let t: TestApp;
  const loginAs = async (email: string): Promise<Credentials> => {
    const res = await call(t, 'POST', '/api/v1/auth/login', null, { email, password: DEMO_PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
    return { cookie: `wp_session=${res.cookies.find((c) => c.name === 'wp_session')!.value}`, csrf: res.json<{ csrfToken: string }>().csrfToken };
  };
  type Item = { id: string; title: string; going: number; waiting: number; myRsvp: { status: string } | null };
  const list = async (creds: Credentials, when: 'upcoming' | 'past') =>
    (await call(t, 'GET', `/api/v1/meetings?when=${when}`, creds)).json<{ items: Item[] }>().items;

  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.system);
  }, 120_000);
  afterAll(async () => t?.close());

  it('shows the CISO meeting to the community with its seats and waiting list, and the past one with minutes to the named hospitals only', async () => {
    const carla = await loginAs('ciso@ziekenhuis-noord.example');
    const [ciso] = (await list(carla, 'upcoming')).filter((m) => m.title === "Netwerkbijeenkomst CISO's");
    expect(ciso).toMatchObject({ going: 2, waiting: 1, myRsvp: { status: 'going' } });
    const soc = await loginAs('soc@secureops.example');
    expect((await list(soc, 'upcoming')).find((m) => m.id === ciso!.id)?.myRsvp).toMatchObject({ status: 'waiting' });

    const [past] = await list(carla, 'past');
    expect(past?.title).toBe('Werksessie incidentrespons ransomware');
    const detail = (await call(t, 'GET', `/api/v1/meetings/${past!.id}`, carla)).json<{ materials: { title: string; tlp: string }[] }>();
    // Both were added in one transaction (the same time): their order is not the point.
    expect(detail.materials.map((m) => [m.title, m.tlp]).sort()).toEqual([
      ['Notulen', 'RED'],
      ['Presentatie oefening', 'AMBER'],
    ]);
    const eva = await loginAs('ciso@umc-zuid.example');
    expect((await call(t, 'GET', `/api/v1/meetings/${past!.id}`, eva)).json<{ materials: { title: string }[] }>().materials.map((m) => m.title)).toEqual([
      'Presentatie oefening',
    ]);
    // The MSSP is not named: the past meeting does not exist for it.
    expect((await call(t, 'GET', `/api/v1/meetings/${past!.id}`, soc)).statusCode).toBe(404);
  });
});
