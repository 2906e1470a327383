import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { loadDemo } from '../../src/modules/demo/demo.service.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/demo-data.ts';
import { currentTotp } from '../../src/modules/identity/totp.ts';

/** A new installation's detection network is not empty: every TLP, many types, a submission, a held value, sightings and hits. */
describe('the demo detection network', () => {
  let t: TestApp;
  const loginAs = async (email: string): Promise<Credentials> => {
    const res = await call(t, 'POST', '/api/v1/auth/login', null, { email, password: DEMO_PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = `wp_session=${res.cookies.find((c) => c.name === 'wp_session')!.value}`;
    const body = res.json<{ status: string; csrfToken: string }>();
    if (body.status === 'totp_required') {
      const user = await t.system.db.selectFrom('users').select('totp_secret').where('email', '=', email).executeTakeFirstOrThrow();
      const r2 = await call(t, 'POST', '/api/v1/auth/totp', { cookie, csrf: body.csrfToken }, { code: currentTotp(user.totp_secret!) });
      expect(r2.statusCode, r2.body).toBe(200);
    }
    return { cookie, csrf: body.csrfToken };
  };

  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.system);
  }, 120_000);
  afterAll(async () => t?.close());

  it('holds events of every TLP level and indicators of many types, a pending submission and a held value', async () => {
    const rows = await t.system.db.selectFrom('zdn_indicators as i').innerJoin('zdn_values as v', 'v.id', 'i.value_id').select(['i.tlp', 'v.type', 'i.status']).execute();
    expect(new Set(rows.map((r) => r.tlp))).toEqual(new Set(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED']));
    expect(new Set(rows.map((r) => r.type)).size).toBeGreaterThanOrEqual(15);
    expect(rows.filter((r) => r.status === 'pending')).toHaveLength(1);
    expect(rows.filter((r) => r.status === 'held')).toHaveLength(1);
    expect((await t.system.db.selectFrom('zdn_warninglists').select('name').execute()).length).toBe(2);
  });

  it('feeds are not empty on first start, and a hospital sees its hit and the sightings', async () => {
    const noord = await loginAs('ciso@ziekenhuis-noord.example');
    const taxii = await t.app.inject({ method: 'GET', url: '/taxii2/zdn/collections/zdn-participants/objects/', headers: { accept: 'application/taxii+json;version=2.1', cookie: noord.cookie! } });
    expect(taxii.json<{ objects: unknown[] }>().objects.length).toBeGreaterThan(10);
    const anonymous = await t.app.inject({ method: 'GET', url: '/feeds/misp/manifest.json' });
    expect(Object.keys(anonymous.json<Record<string, unknown>>())).toHaveLength(1);
    const hits = (await call(t, 'GET', '/api/v1/zdn/hits', noord)).json<{ items: { value: string }[] }>();
    expect(hits.items.map((h) => h.value)).toEqual(['https://vpn.ziekenhuis-noord.example/remote/collect.php']);
    const c2 = (await call(t, 'GET', '/api/v1/zdn/indicators?q=lockzorg-c2.example&type=domain', noord)).json<{ items: { sightings: { organisationsTotal: number; named: { name: string }[] } }[] }>();
    expect(c2.items[0]!.sightings.organisationsTotal).toBe(2);
    const csv = await call(t, 'GET', '/api/v1/zdn/exports/csv', noord);
    expect(csv.body.split('\n').length).toBeGreaterThan(10);
  });
});
