import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../src/modules/identity/totp.ts';
import { call, createTestApp, sessionCookieFrom, type TestApp } from '../helpers/test-app.ts';
import { TEST_PASSWORD, login, makeOrganisation, makeUser } from '../helpers/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('login', () => {
  it('logs a participant in with a password alone and sets an HttpOnly SameSite cookie', async () => {
    const org = await makeOrganisation(t, 'participant');
    const user = await makeUser(t, org.id, 'participant-member');
    const res = await call(t, 'POST', '/api/v1/auth/login', null, { email: user.email.toUpperCase(), password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok' });
    const cookie = res.cookies.find((c) => c.name === 'wp_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    const me = await call(t, 'GET', '/api/v1/auth/me', { cookie: sessionCookieFrom(res) });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe(user.email);
  });

  it('refuses a wrong password with a stable code and records the failure in the audit log', async () => {
    const org = await makeOrganisation(t, 'participant');
    const user = await makeUser(t, org.id, 'participant-admin');
    const res = await call(t, 'POST', '/api/v1/auth/login', null, { email: user.email, password: 'not the password at all' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('invalid_credentials');
    const entry = await t.system.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.login').where('outcome', '=', 'failure').where('target_id', '=', user.id).executeTakeFirst();
    expect(entry?.details).toMatchObject({ reason: 'wrong_password' });
  });

  it('locks an account after five failures, also for the right password, and says when to retry', async () => {
    const org = await makeOrganisation(t, 'participant');
    const user = await makeUser(t, org.id, 'participant-member');
    for (let i = 0; i < 5; i++) {
      const r = await call(t, 'POST', '/api/v1/auth/login', null, { email: user.email, password: `wrong password ${i}` });
      expect(r.statusCode).toBe(401);
    }
    const locked = await call(t, 'POST', '/api/v1/auth/login', null, { email: user.email, password: TEST_PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('login_throttled');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('requires TOTP for CERT staff: the password alone gives no access', async () => {
    const cert = await makeOrganisation(t, 'cert');
    const admin = await makeUser(t, cert.id, 'cert-admin');
    const res = await call(t, 'POST', '/api/v1/auth/login', null, { email: admin.email, password: TEST_PASSWORD });
    expect(res.json().status).toBe('totp_required');
    const creds = { cookie: sessionCookieFrom(res), csrf: res.json().csrfToken as string };
    const blocked = await call(t, 'GET', '/api/v1/organisations', creds);
    expect(blocked.statusCode).toBe(401);
    expect(blocked.json().error.code).toBe('second_factor_required');
    const wrong = await call(t, 'POST', '/api/v1/auth/totp', creds, { code: '000000' });
    expect(wrong.statusCode).toBe(401);
    const code = currentTotp(admin.totpSecret!);
    const ok = await call(t, 'POST', '/api/v1/auth/totp', creds, { code });
    expect(ok.statusCode).toBe(200);
    expect((await call(t, 'GET', '/api/v1/organisations', creds)).statusCode).toBe(200);
    // The same code cannot be used twice (the very same string, so a new 30-second step cannot make it pass).
    const res2 = await call(t, 'POST', '/api/v1/auth/login', null, { email: admin.email, password: TEST_PASSWORD });
    const replay = await call(t, 'POST', '/api/v1/auth/totp', { cookie: sessionCookieFrom(res2), csrf: res2.json().csrfToken }, { code });
    expect(replay.statusCode).toBe(401);
  });

  it('makes CERT staff without TOTP enrol before anything else, then hands out recovery codes that work once', async () => {
    const cert = await makeOrganisation(t, 'cert');
    const analyst = await makeUser(t, cert.id, 'cert-analyst', { totp: false });
    const res = await call(t, 'POST', '/api/v1/auth/login', null, { email: analyst.email, password: TEST_PASSWORD });
    expect(res.json().status).toBe('totp_setup_required');
    const creds = { cookie: sessionCookieFrom(res), csrf: res.json().csrfToken as string };
    const setup = await call(t, 'POST', '/api/v1/auth/totp/setup', creds);
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl } = setup.json<{ secret: string; otpauthUrl: string }>();
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Wachtpost:/);
    const enable = await call(t, 'POST', '/api/v1/auth/totp/enable', creds, { code: currentTotp(secret) });
    expect(enable.statusCode).toBe(200);
    const codes = enable.json<{ recoveryCodes: string[] }>().recoveryCodes;
    expect(codes).toHaveLength(10);
    expect((await call(t, 'GET', '/api/v1/auth/me', creds)).json().user.totpEnabled).toBe(true);

    const again = await call(t, 'POST', '/api/v1/auth/login', null, { email: analyst.email, password: TEST_PASSWORD });
    const c2 = { cookie: sessionCookieFrom(again), csrf: again.json().csrfToken as string };
    expect((await call(t, 'POST', '/api/v1/auth/totp', c2, { code: codes[0]!.toUpperCase() })).statusCode).toBe(200);
    const third = await call(t, 'POST', '/api/v1/auth/login', null, { email: analyst.email, password: TEST_PASSWORD });
    const c3 = { cookie: sessionCookieFrom(third), csrf: third.json().csrfToken as string };
    expect((await call(t, 'POST', '/api/v1/auth/totp', c3, { code: codes[0]! })).statusCode).toBe(401);
  });
});

describe('sessions', () => {
  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const org = await makeOrganisation(t, 'participant');
    const user = await makeUser(t, org.id, 'participant-admin');
    const creds = await login(t, user);
    const res = await call(t, 'POST', `/api/v1/organisations/${org.id}/contacts`, { cookie: creds.cookie }, { name: 'X', email: 'x@test.example' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf_token_invalid');
    const ok = await call(t, 'POST', `/api/v1/organisations/${org.id}/contacts`, creds, { name: 'X', email: 'x@test.example' });
    expect(ok.statusCode).toBe(201);
  });

  it('ends a session after the idle time-out', async () => {
    const org = await makeOrganisation(t, 'participant');
    const user = await makeUser(t, org.id, 'participant-member');
    const creds = await login(t, user);
    await t.system.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 61 * 60_000) }).where('user_id', '=', user.id).execute();
    expect((await call(t, 'GET', '/api/v1/auth/me', creds)).statusCode).toBe(401);
  });

  it('disabling a user ends their sessions and API tokens at once', async () => {
    const org = await makeOrganisation(t, 'participant');
    const admin = await makeUser(t, org.id, 'participant-admin');
    const member = await makeUser(t, org.id, 'participant-member');
    const adminCreds = await login(t, admin);
    const memberCreds = await login(t, member);
    const tok = await call(t, 'POST', '/api/v1/tokens', memberCreds, { name: 'sensor', scopes: ['organisations:read'] });
    expect(tok.statusCode).toBe(201);
    const token = tok.json<{ token: string }>().token;
    expect((await call(t, 'GET', '/api/v1/organisations', { token })).statusCode).toBe(200);
    expect((await call(t, 'POST', `/api/v1/users/${member.id}/disable`, adminCreds)).statusCode).toBe(200);
    expect((await call(t, 'GET', '/api/v1/auth/me', memberCreds)).statusCode).toBe(401);
    expect((await call(t, 'GET', '/api/v1/organisations', { token })).statusCode).toBe(401);
    const relogin = await call(t, 'POST', '/api/v1/auth/login', null, { email: member.email, password: TEST_PASSWORD });
    expect(relogin.statusCode).toBe(401);
  });

  it('a user can list and end their own sessions', async () => {
    const org = await makeOrganisation(t, 'participant');
    const user = await makeUser(t, org.id, 'participant-member');
    const a = await login(t, user);
    const b = await login(t, user);
    const list = await call(t, 'GET', '/api/v1/me/sessions', a);
    const items = list.json<{ items: { id: string; current: boolean }[] }>().items;
    expect(items).toHaveLength(2);
    const other = items.find((s) => !s.current)!;
    expect((await call(t, 'DELETE', `/api/v1/me/sessions/${other.id}`, a)).statusCode).toBe(200);
    expect((await call(t, 'GET', '/api/v1/auth/me', b)).statusCode).toBe(401);
    expect((await call(t, 'GET', '/api/v1/auth/me', a)).statusCode).toBe(200);
  });
});

describe('passwords', () => {
  it('refuses short and common passwords with reasons, and accepts a long one', async () => {
    const org = await makeOrganisation(t, 'participant');
    const user = await makeUser(t, org.id, 'participant-member');
    const creds = await login(t, user);
    const short = await call(t, 'POST', '/api/v1/me/password', creds, { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(short.json().error.code).toBe('password_too_short');
    const common = await call(t, 'POST', '/api/v1/me/password', creds, { currentPassword: TEST_PASSWORD, newPassword: 'passwordpassword' });
    expect(common.json().error.code).toBe('password_common');
    const ok = await call(t, 'POST', '/api/v1/me/password', creds, { currentPassword: TEST_PASSWORD, newPassword: 'de kat krabt de krullen van de trap' });
    expect(ok.statusCode).toBe(200);
    const newLogin = await call(t, 'POST', '/api/v1/auth/login', null, { email: user.email, password: 'de kat krabt de krullen van de trap' });
    expect(newLogin.statusCode).toBe(200);
  });

  it('a password reset mails a one-time link through the outbox, and the link works once', async () => {
    const org = await makeOrganisation(t, 'participant');
    const user = await makeUser(t, org.id, 'participant-member');
    const unknown = await call(t, 'POST', '/api/v1/auth/password-reset', null, { email: 'nobody@test.example' });
    const known = await call(t, 'POST', '/api/v1/auth/password-reset', null, { email: user.email });
    expect(unknown.statusCode).toBe(202);
    expect(known.statusCode).toBe(202);
    const mail = await t.system.db.selectFrom('outbox').selectAll().where('dedupe_key', 'like', 'reset.%').execute();
    const mine = mail.map((m) => m.payload as unknown as { to: string; text: string }).find((p) => p.to === user.email);
    expect(mine).toBeDefined();
    const token = /token=([A-Za-z0-9_-]+)/.exec(mine!.text)?.[1];
    expect(token).toBeDefined();
    const set = await call(t, 'POST', '/api/v1/auth/password-link', null, { token, newPassword: 'een nieuw en lang wachtwoord' });
    expect(set.statusCode).toBe(200);
    const again = await call(t, 'POST', '/api/v1/auth/password-link', null, { token, newPassword: 'een ander lang wachtwoord!' });
    expect(again.json().error.code).toBe('link_invalid');
  });
});
