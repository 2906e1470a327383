import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { loadDemo } from '../../src/modules/demo/demo.service.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/demo-data.ts';

/** The demo community: spaces with threads, and spaces that are not there for some organisations. */
describe('the demo community', () => {
  let t: TestApp;
  const loginAs = async (email: string): Promise<Credentials> => {
    const res = await call(t, 'POST', '/api/v1/auth/login', null, { email, password: DEMO_PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
    return { cookie: `wp_session=${res.cookies.find((c) => c.name === 'wp_session')!.value}`, csrf: res.json<{ csrfToken: string }>().csrfToken };
  };
  const spaces = async (creds: Credentials) => {
    const res = await call(t, 'GET', '/api/v1/community/spaces', creds);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: { name: string; threadCount: number }[] }>().items;
  };

  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.system);
  }, 120_000);
  afterAll(async () => t?.close());

  it('gives each demo user the spaces they are a member of, with threads', async () => {
    const carla = await spaces(await loginAs('ciso@ziekenhuis-noord.example'));
    expect(carla.map((s) => s.name).sort()).toEqual(['CISO’s', 'IT-beheer', 'Medische technologie', 'Privacy']);
    expect(carla.find((s) => s.name === 'CISO’s')!.threadCount).toBe(2);
    // The IT member is no CISO; the MSSP only in IT operations.
    expect((await spaces(await loginAs('it@ziekenhuis-noord.example'))).map((s) => s.name).sort()).toEqual(['IT-beheer', 'Medische technologie', 'Privacy']);
    expect((await spaces(await loginAs('soc@secureops.example'))).map((s) => s.name)).toEqual(['IT-beheer']);
    expect((await spaces(await loginAs('psirt@medtech.example'))).map((s) => s.name)).toEqual(['Medische technologie']);
  });
});
