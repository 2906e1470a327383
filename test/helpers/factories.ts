import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../src/modules/identity/password.ts';
import { currentTotp, newTotpSecret } from '../../src/modules/identity/totp.ts';
import * as orgRepo from '../../src/modules/organisations/organisation.repository.ts';
import * as usersRepo from '../../src/modules/identity/users.repository.ts';
import type { Role } from '../../src/modules/access/permissions.ts';
import { call, sessionCookieFrom, type Credentials, type TestApp } from './test-app.ts';

export const TEST_PASSWORD = 'a long test passphrase 2026';
let passwordHash: Promise<string> | undefined;
const unique = () => randomBytes(4).toString('hex');

export type OrgKind = 'cert' | 'participant' | 'vendor' | 'partner';

export async function makeOrganisation(t: TestApp, kind: OrgKind, name?: string) {
  if (kind === 'cert') {
    const existing = await orgRepo.findCert(t.system.db);
    if (existing) return existing;
  }
  return orgRepo.insertOrganisation(t.system.db, {
    kind,
    name: name ?? `${kind} ${unique()}`,
    shortName: null,
    segment: kind === 'participant' ? 'hospital' : null,
    membershipStatus: 'active',
    memberSince: null,
    memberUntil: null,
  });
}

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  organisationId: string;
  totpSecret: string | null;
}

/** A user with the test password; CERT staff get a TOTP secret (they must have one). */
export async function makeUser(t: TestApp, organisationId: string, role: Role, opts: { totp?: boolean } = {}): Promise<TestUser> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const email = `${role}-${unique()}@test.example`;
  const u = await usersRepo.insertUser(t.system.db, { email, name: email, role, organisationId, passwordHash: await passwordHash, status: 'active' });
  const wantsTotp = opts.totp ?? (role === 'cert-admin' || role === 'cert-analyst');
  let totpSecret: string | null = null;
  if (wantsTotp) {
    totpSecret = newTotpSecret();
    await t.system.db.updateTable('users').set({ totp_secret: totpSecret, totp_enabled_at: new Date() }).where('id', '=', u.id).execute();
  }
  return { id: u.id, email, role, organisationId, totpSecret };
}

/** Logs in through the API (password, then TOTP when the user has it) and returns the session. */
export async function login(t: TestApp, user: TestUser): Promise<Credentials> {
  const res = await call(t, 'POST', '/api/v1/auth/login', null, { email: user.email, password: TEST_PASSWORD });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = sessionCookieFrom(res);
  const body = res.json<{ status: string; csrfToken: string }>();
  if (body.status === 'totp_required') {
    // Codes are single-use per 30-second step; tests log the same user in quickly, so forget the last step.
    await t.system.db.updateTable('users').set({ totp_last_step: null }).where('id', '=', user.id).execute();
    const r2 = await call(t, 'POST', '/api/v1/auth/totp', { cookie, csrf: body.csrfToken }, { code: currentTotp(user.totpSecret!) });
    if (r2.statusCode !== 200) throw new Error(`totp failed: ${r2.statusCode} ${r2.body}`);
  }
  return { cookie, csrf: body.csrfToken };
}
