import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { TEST_PASSWORD, login, makeOrganisation, makeUser } from '../helpers/factories.ts';

let t: TestApp;
let https: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  https = await createTestApp({ PUBLIC_URL: 'https://wachtpost.test' });
});
afterAll(async () => {
  await t?.close();
  await https?.close();
});

describe('HTTP hardening', () => {
  it('sends a CSP without inline scripts that forbids framing, and no HSTS over plain HTTP', async () => {
    const res = await call(t, 'GET', '/healthz', null);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends HSTS and Secure cookies when the public address is HTTPS', async () => {
    const org = await makeOrganisation(https, 'participant');
    const user = await makeUser(https, org.id, 'participant-member');
    const res = await call(https, 'POST', '/api/v1/auth/login', null, { email: user.email, password: TEST_PASSWORD });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    const cookie = res.cookies.find((c) => c.name === '__Host-wp_session');
    expect(cookie).toMatchObject({ secure: true, httpOnly: true, path: '/' });
  });

  it('refuses an oversized body with 413 and the error shape', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email: 'x', password: 'y'.repeat(3 * 1024 * 1024) }) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  it('answers unknown API routes with a JSON 404, and a non-JSON body with 415', async () => {
    const res = await call(t, 'GET', '/api/v1/nothing-here', null);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('route_not_found');
    const form = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=a&password=b' });
    expect(form.statusCode).toBe(415);
    expect(form.json().error.code).toBe('unsupported_media_type');
  });

  it('counts wrong current passwords toward the account lock-out', async () => {
    const org = await makeOrganisation(t, 'participant');
    const user = await makeUser(t, org.id, 'participant-member');
    const creds = await login(t, user);
    for (let i = 0; i < 5; i++) {
      const r = await call(t, 'POST', '/api/v1/me/password', creds, { currentPassword: `guess number ${i}`, newPassword: 'een heel nieuw wachtwoord' });
      expect(r.json().error.code).toBe('current_password_wrong');
    }
    const locked = await call(t, 'POST', '/api/v1/me/password', creds, { currentPassword: TEST_PASSWORD, newPassword: 'een heel nieuw wachtwoord' });
    expect(locked.statusCode).toBe(429);
    expect((await call(t, 'POST', '/api/v1/auth/login', null, { email: user.email, password: TEST_PASSWORD })).statusCode).toBe(429);
  });

  it('publishes OpenAPI 3.1 with every API route', async () => {
    const doc = (await call(t, 'GET', '/api/openapi.json', null)).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/organisations', '/api/v1/organisations/{id}/assets/import', '/api/v1/audit/verify', '/api/v1/auth/login']));
    expect(doc.paths['/api/v1/organisations'].post.requestBody.content['application/json'].schema.properties.kind).toBeDefined();
  });

  it('reports readiness and liveness', async () => {
    expect((await call(t, 'GET', '/healthz', null)).json()).toEqual({ status: 'ok' });
    expect((await call(t, 'GET', '/readyz', null)).json()).toEqual({ status: 'ready' });
    await t.system.db.deleteFrom('schema_migrations').where('name', '=', '0002_passkeys.sql').execute();
    const notReady = await call(t, 'GET', '/readyz', null);
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json().reason).toMatch(/0002_passkeys\.sql/);
    await t.system.db.insertInto('schema_migrations').values({ name: '0002_passkeys.sql' }).execute();
  });
});
