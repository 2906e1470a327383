import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { TEST_PASSWORD, makeOrganisation, makeUser } from '../helpers/factories.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';

const ORIGIN = 'https://wachtpost.test';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: ORIGIN });
});
afterAll(async () => t?.close());

// Over HTTPS the cookie is __Host-wp_session; the helpers speak wp_session, so read it by prefix.
function cookieOf(res: Awaited<ReturnType<typeof call>>): string {
  const c = res.cookies.find((x) => x.name.endsWith('wp_session'));
  if (!c) throw new Error(`no session cookie: ${res.statusCode} ${res.body}`);
  return `${c.name}=${c.value}`;
}

async function loginHttps(email: string) {
  const res = await call(t, 'POST', '/api/v1/auth/login', null, { email, password: TEST_PASSWORD });
  return { res, creds: { cookie: cookieOf(res), csrf: res.json().csrfToken as string } };
}

describe('passkeys', () => {
  it('registers a passkey and logs in with it without a password', async () => {
    const org = await makeOrganisation(t, 'participant');
    const user = await makeUser(t, org.id, 'participant-admin');
    const { creds } = await loginHttps(user.email);
    const key = new SoftAuthenticator('wachtpost.test', ORIGIN);
    const opts = await call(t, 'POST', '/api/v1/me/passkeys/options', creds);
    expect(opts.statusCode).toBe(200);
    const { challengeId, options } = opts.json();
    expect(options.rp.id).toBe('wachtpost.test');
    const reg = await call(t, 'POST', '/api/v1/me/passkeys', creds, { challengeId, name: 'Laptop', credential: key.register(options.challenge) });
    expect(reg.statusCode).toBe(201);
    expect((await call(t, 'GET', '/api/v1/me/passkeys', creds)).json().items).toEqual([expect.objectContaining({ id: key.id, name: 'Laptop' })]);

    const authOpts = await call(t, 'POST', '/api/v1/auth/passkey/options', null);
    const a = authOpts.json();
    const res = await call(t, 'POST', '/api/v1/auth/passkey', null, { challengeId: a.challengeId, credential: key.authenticate(a.options.challenge) });
    expect(res.statusCode).toBe(200);
    const me = await call(t, 'GET', '/api/v1/auth/me', { cookie: cookieOf(res) });
    expect(me.json().user.email).toBe(user.email);
    // The challenge is single use.
    const replay = await call(t, 'POST', '/api/v1/auth/passkey', null, { challengeId: a.challengeId, credential: key.authenticate(a.options.challenge) });
    expect(replay.json().error.code).toBe('passkey_challenge_invalid');
  });

  it('refuses a passwordless login without user verification, from another origin, or with an unknown key', async () => {
    const org = await makeOrganisation(t, 'participant');
    const user = await makeUser(t, org.id, 'participant-member');
    const { creds } = await loginHttps(user.email);
    const key = new SoftAuthenticator('wachtpost.test', ORIGIN);
    const o = (await call(t, 'POST', '/api/v1/me/passkeys/options', creds)).json();
    expect((await call(t, 'POST', '/api/v1/me/passkeys', creds, { challengeId: o.challengeId, name: 'Phone', credential: key.register(o.options.challenge) })).statusCode).toBe(201);
    const attempt = async (credential: (c: string) => unknown) => {
      const a = (await call(t, 'POST', '/api/v1/auth/passkey/options', null)).json();
      return call(t, 'POST', '/api/v1/auth/passkey', null, { challengeId: a.challengeId, credential: credential(a.options.challenge) });
    };
    expect((await attempt((c) => key.authenticate(c, { verified: false }))).statusCode).toBe(401);
    expect((await attempt((c) => key.authenticate(c, { origin: 'https://evil.example' }))).statusCode).toBe(401);
    const stranger = new SoftAuthenticator('wachtpost.test', ORIGIN);
    expect((await attempt((c) => stranger.authenticate(c))).json().error.code).toBe('passkey_invalid');
  });

  it('serves as the second factor of a CERT analyst’s password login', async () => {
    const cert = await makeOrganisation(t, 'cert');
    const analyst = await makeUser(t, cert.id, 'cert-analyst');
    const key = new SoftAuthenticator('wachtpost.test', ORIGIN);
    // Enrol the passkey in a full session (reached with TOTP). Over HTTPS the cookie is __Host- prefixed.
    const first = await loginHttps(analyst.email);
    expect(first.res.json().status).toBe('totp_required');
    expect(first.creds.cookie.startsWith('__Host-wp_session=')).toBe(true);
    const { currentTotp } = await import('../../src/modules/identity/totp.ts');
    expect((await call(t, 'POST', '/api/v1/auth/totp', first.creds, { code: currentTotp(analyst.totpSecret!) })).statusCode).toBe(200);
    const o = (await call(t, 'POST', '/api/v1/me/passkeys/options', first.creds)).json();
    await call(t, 'POST', '/api/v1/me/passkeys', first.creds, { challengeId: o.challengeId, name: 'YubiKey', credential: key.register(o.options.challenge) });

    const second = await loginHttps(analyst.email);
    expect((await call(t, 'GET', '/api/v1/organisations', second.creds)).statusCode).toBe(401);
    const a = (await call(t, 'POST', '/api/v1/auth/passkey/options', second.creds, { mode: 'second_factor' })).json();
    expect(a.options.allowCredentials).toEqual([expect.objectContaining({ id: key.id })]);
    const done = await call(t, 'POST', '/api/v1/auth/passkey', second.creds, { challengeId: a.challengeId, credential: key.authenticate(a.options.challenge) });
    expect(done.statusCode).toBe(200);
    expect((await call(t, 'GET', '/api/v1/organisations', second.creds)).statusCode).toBe(200);
  });
});

describe('a half-finished login left in the browser', () => {
  it('does not turn a passwordless passkey login into that user’s second factor', async () => {
    const org = await makeOrganisation(t, 'participant');
    const cert = await makeOrganisation(t, 'cert');
    const owner = await makeUser(t, org.id, 'participant-admin');
    const other = await makeUser(t, cert.id, 'cert-analyst');
    const key = new SoftAuthenticator('wachtpost.test', ORIGIN);
    const { creds } = await loginHttps(owner.email);
    const o = (await call(t, 'POST', '/api/v1/me/passkeys/options', creds)).json();
    await call(t, 'POST', '/api/v1/me/passkeys', creds, { challengeId: o.challengeId, name: 'Laptop', credential: key.register(o.options.challenge) });
    // Someone else typed their password and walked away at the TOTP step.
    const pending = await loginHttps(other.email);
    expect(pending.res.json().status).toBe('totp_required');
    const a = (await call(t, 'POST', '/api/v1/auth/passkey/options', pending.creds)).json();
    expect(a.options.allowCredentials ?? []).toEqual([]);
    const res = await call(t, 'POST', '/api/v1/auth/passkey', pending.creds, { challengeId: a.challengeId, credential: key.authenticate(a.options.challenge) });
    expect(res.statusCode).toBe(200);
    expect((await call(t, 'GET', '/api/v1/auth/me', { cookie: cookieOf(res) })).json().user.email).toBe(owner.email);
    // Asking for a second factor without a pending login is refused in words.
    const none = await call(t, 'POST', '/api/v1/auth/passkey/options', null, { mode: 'second_factor' });
    expect(none.json().error.code).toBe('no_pending_login');
  });
});
