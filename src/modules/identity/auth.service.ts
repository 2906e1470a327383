import { AppError, badRequest } from '#server/errors.ts';
import { inTransaction, type Ctx } from '#server/context.ts';
import { isCertRole } from '#modules/access/permissions.ts';
import { record } from '#modules/audit/audit.service.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import type { SessionsTable } from '#db/schema.ts';
import type { Selectable } from 'kysely';
import * as repo from './identity.repository.ts';
import { verifyPassword } from './password.ts';
import { randomToken, sha256 } from './secrets.ts';
import { matchTotp, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, otpauthUrl } from './totp.ts';

// Login throttling, counted in the database so it holds across processes and every route that checks a secret.
const ACCOUNT_LIMIT = { failures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
const IP_LIMIT = { failures: 30, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

export type SessionRow = Selectable<SessionsTable>;

export interface LoginOutcome {
  status: 'ok' | 'totp_required' | 'totp_setup_required';
  sessionToken: string;
  csrfToken: string;
  userId: string;
}

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const ipKey = (ip: string | null) => `ip:${ip ?? 'unknown'}`;

/** Refuses while the account or the client address is locked out (shared by every secret-checking route). */
export async function assertNotThrottled(ctx: Ctx, email: string): Promise<void> {
  const states = await repo.throttleState(ctx.db, [accountKey(email), ipKey(ctx.ip)]);
  const now = Date.now();
  const locked = states.filter((s) => s.locked_until && s.locked_until.getTime() > now);
  if (locked.length) {
    const until = Math.max(...locked.map((s) => s.locked_until!.getTime()));
    const seconds = Math.ceil((until - now) / 1000);
    throw new AppError('too_many_requests', 'login_throttled', `Too many failed attempts. Try again in ${Math.ceil(seconds / 60)} minutes.`, undefined, seconds);
  }
}

/** Counts a failed secret against the account and the client address. */
export async function countFailure(ctx: Ctx, email: string): Promise<void> {
  await repo.recordFailure(ctx.db, accountKey(email), ACCOUNT_LIMIT.failures, ACCOUNT_LIMIT.windowSeconds, ACCOUNT_LIMIT.lockSeconds);
  await repo.recordFailure(ctx.db, ipKey(ctx.ip), IP_LIMIT.failures, IP_LIMIT.windowSeconds, IP_LIMIT.lockSeconds);
}

function mfaRequired(ctx: Ctx, role: Parameters<typeof isCertRole>[0]): boolean {
  return isCertRole(role) || ctx.services.config.participantMfaRequired;
}

/** First step: e-mail and password. Opens a session at the stage the user's factors require. */
export async function login(ctx: Ctx, input: { email: string; password: string }): Promise<LoginOutcome> {
  await assertNotThrottled(ctx, input.email);
  const user = await repo.findUserWithOrgByEmail(ctx.db, input.email);
  const passwordOk = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !passwordOk || user.status !== 'active') {
    await countFailure(ctx, input.email);
    await record(ctx, {
      action: 'auth.login',
      outcome: 'failure',
      actorEmail: input.email.slice(0, 320),
      targetType: 'user',
      targetId: user?.id ?? null,
      details: { reason: !user ? 'unknown_account' : !passwordOk ? 'wrong_password' : `account_${user.status}` },
    });
    throw new AppError('unauthenticated', 'invalid_credentials', 'The e-mail address or password is not right, or the account is not active.');
  }
  await repo.clearFailures(ctx.db, accountKey(input.email));
  const stage = user.totp_enabled_at ? 'totp' : mfaRequired(ctx, user.role) ? 'totp_setup' : 'full';
  const sessionToken = randomToken();
  const csrfToken = randomToken(24);
  const expiresAt = new Date(Date.now() + ctx.services.config.sessionAbsoluteHours * 3600_000);
  await inTransaction(ctx, async (tx) => {
    const s = await repo.insertSession(tx.db, { tokenHash: sha256(sessionToken), userId: user.id, stage, csrfToken, ip: ctx.ip, userAgent: ctx.userAgent, expiresAt });
    if (stage === 'full') await repo.updateUser(tx.db, user.id, { last_login_at: new Date() });
    await record(tx, { action: 'auth.login', actorEmail: user.email, targetType: 'user', targetId: user.id, details: { stage, sessionId: s.id } });
  });
  const status = stage === 'full' ? 'ok' : stage === 'totp' ? 'totp_required' : 'totp_setup_required';
  return { status, sessionToken, csrfToken, userId: user.id };
}

/** Second step: a TOTP code or a single-use recovery code. */
export async function completeTotp(ctx: Ctx, session: SessionRow, code: string): Promise<void> {
  if (session.stage !== 'totp') throw badRequest('totp_not_expected', 'This session is not waiting for a code.');
  const user = await repo.findUserWithOrgById(ctx.db, session.user_id);
  if (!user || !user.totp_secret) throw new AppError('unauthenticated', 'unauthenticated', 'Log in again.');
  await assertNotThrottled(ctx, user.email);
  const step = matchTotp(user.totp_secret, code, user.totp_last_step);
  const viaRecovery = step === null && (await repo.useRecoveryCode(ctx.db, user.id, sha256(normaliseRecoveryCode(code))));
  if (step === null && !viaRecovery) {
    await countFailure(ctx, user.email);
    await record(ctx, { action: 'auth.totp', outcome: 'failure', actorEmail: user.email, targetType: 'user', targetId: user.id });
    throw new AppError('unauthenticated', 'invalid_code', 'That code is not right or was already used. Codes change every 30 seconds.');
  }
  await repo.clearFailures(ctx.db, accountKey(user.email));
  await inTransaction(ctx, async (tx) => {
    // Conditional, so two requests racing with the same code cannot both pass.
    if (step !== null && !(await repo.advanceTotpStep(tx.db, user.id, step))) {
      throw new AppError('unauthenticated', 'invalid_code', 'That code was already used. Wait for the next one.');
    }
    await repo.updateSession(tx.db, session.id, { stage: 'full' });
    await repo.updateUser(tx.db, user.id, { last_login_at: new Date() });
    await record(tx, { action: 'auth.totp', actorEmail: user.email, targetType: 'user', targetId: user.id, details: { recoveryCode: viaRecovery } });
  });
}

/** Starts TOTP enrolment: a new secret is kept on the session until a code proves the app has it. */
export async function beginTotpSetup(ctx: Ctx, session: SessionRow, email: string): Promise<{ secret: string; otpauthUrl: string }> {
  if (session.stage === 'totp') throw badRequest('totp_not_expected', 'Enter the code from your app first.');
  const secret = newTotpSecret();
  await repo.updateSession(ctx.db, session.id, { pending_totp_secret: secret });
  return { secret, otpauthUrl: otpauthUrl(secret, email) };
}

/** Finishes enrolment; returns the recovery codes, shown once. */
export async function enableTotp(ctx: Ctx, session: SessionRow, code: string): Promise<string[]> {
  const fresh = await repo.findLiveSession(ctx.db, session.token_hash, new Date(0));
  const secret = fresh?.pending_totp_secret;
  if (!secret) throw badRequest('totp_setup_not_started', 'Start the set-up first, then enter the code your app shows.');
  const step = matchTotp(secret, code, null);
  if (step === null) throw badRequest('invalid_code', 'That code does not match. Check the time on your phone and try the next code.', { field: 'code' });
  const codes = newRecoveryCodes();
  await inTransaction(ctx, async (tx) => {
    await repo.updateUser(tx.db, session.user_id, { totp_secret: secret, totp_enabled_at: new Date(), totp_last_step: step, last_login_at: new Date() });
    await repo.replaceRecoveryCodes(tx.db, session.user_id, codes.map((c) => sha256(normaliseRecoveryCode(c))));
    await repo.updateSession(tx.db, session.id, { stage: 'full', pending_totp_secret: null });
    await record(tx, { action: 'user.totp_enable', targetType: 'user', targetId: session.user_id });
  });
  return codes;
}

export async function regenerateRecoveryCodes(ctx: Ctx, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await inTransaction(ctx, async (tx) => {
    await repo.replaceRecoveryCodes(tx.db, userId, codes.map((c) => sha256(normaliseRecoveryCode(c))));
    await record(tx, { action: 'user.recovery_codes_regenerate', targetType: 'user', targetId: userId });
  });
  return codes;
}

export async function logout(ctx: Ctx, session: SessionRow): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await repo.revokeSession(tx.db, session.id, session.user_id);
    await publish(tx, { type: 'session.ended', organisationId: null, data: {}, internal: true, revoke: { userId: session.user_id, sessionId: session.id } });
    await record(tx, { action: 'auth.logout', targetType: 'session', targetId: session.id });
  });
}

/** Finds the live session of a cookie, enforcing idle and absolute time-outs. */
export async function resolveSession(ctx: Ctx, token: string): Promise<SessionRow | undefined> {
  const idleSince = new Date(Date.now() - ctx.services.config.sessionIdleMinutes * 60_000);
  const session = await repo.findLiveSession(ctx.db, sha256(token), idleSince);
  // Touch at most once a minute: enough for the idle time-out, without a write per request.
  if (session && Date.now() - session.last_seen_at.getTime() > 60_000) await repo.touchSession(ctx.db, session.id);
  return session;
}

export async function resolveApiToken(ctx: Ctx, token: string) {
  const row = await repo.findLiveToken(ctx.db, sha256(token));
  if (row && (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000)) await repo.markTokenUsed(ctx.db, row.id);
  return row;
}
