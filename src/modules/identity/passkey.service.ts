import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { inTransaction, type Ctx } from '#server/context.ts';
import { AppError, badRequest, notFound } from '#server/errors.ts';
import { requireActor } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import * as repo from './identity.repository.ts';
import * as passkeys from './passkey.repository.ts';
import { randomToken, sha256 } from './secrets.ts';
import type { SessionRow } from './auth.service.ts';

function relyingParty(ctx: Ctx) {
  const url = new URL(ctx.services.config.publicUrl);
  return { rpID: url.hostname, origin: url.origin, rpName: 'Wachtpost' };
}

/** Step 1 of adding a passkey to one's own account. */
export async function registrationOptions(ctx: Ctx, session: SessionRow) {
  requireActor(ctx.actor);
  const rp = relyingParty(ctx);
  const existing = await passkeys.listCredentials(ctx.db, ctx.actor.userId);
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: ctx.actor.email,
    userID: new TextEncoder().encode(ctx.actor.userId),
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransportFuture[] })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  const { id } = await passkeys.insertChallenge(ctx.db, { challenge: options.challenge, purpose: 'register', userId: ctx.actor.userId, sessionId: session.id });
  return { challengeId: id, options: { ...options } };
}

/** Step 2: verifies the authenticator's answer and stores the new credential. */
export async function registerPasskey(ctx: Ctx, input: { challengeId: string; name: string; response: RegistrationResponseJSON }) {
  requireActor(ctx.actor);
  const rp = relyingParty(ctx);
  const challenge = await passkeys.takeChallenge(ctx.db, input.challengeId, 'register');
  if (!challenge || challenge.user_id !== ctx.actor.userId) throw badRequest('passkey_challenge_invalid', 'This passkey request expired or is unknown; start again.');
  let verified;
  try {
    verified = await verifyRegistrationResponse({ response: input.response, expectedChallenge: challenge.challenge, expectedOrigin: rp.origin, expectedRPID: rp.rpID, requireUserVerification: false });
  } catch (err) {
    throw badRequest('passkey_invalid', `The passkey could not be verified: ${err instanceof Error ? err.message : 'unknown reason'}.`);
  }
  if (!verified.verified) throw badRequest('passkey_invalid', 'The passkey could not be verified.');
  const { credential, credentialBackedUp } = verified.registrationInfo;
  if (await passkeys.findCredential(ctx.db, credential.id)) throw badRequest('passkey_exists', 'This passkey is already registered.');
  await inTransaction(ctx, async (tx) => {
    await passkeys.insertCredential(tx.db, {
      id: credential.id,
      userId: tx.actor!.userId,
      name: input.name,
      publicKey: credential.publicKey,
      counter: credential.counter,
      transports: credential.transports ?? [],
      backedUp: credentialBackedUp,
    });
    await record(tx, { action: 'user.passkey_add', targetType: 'user', targetId: tx.actor!.userId, details: { name: input.name } });
  });
  return passkeys.findCredential(ctx.db, credential.id);
}

export async function listPasskeys(ctx: Ctx) {
  requireActor(ctx.actor);
  return passkeys.listCredentials(ctx.db, ctx.actor.userId);
}

export async function removePasskey(ctx: Ctx, id: string): Promise<void> {
  requireActor(ctx.actor);
  await inTransaction(ctx, async (tx) => {
    if (!(await passkeys.deleteCredential(tx.db, id, tx.actor!.userId))) throw notFound('passkey');
    await record(tx, { action: 'user.passkey_remove', targetType: 'user', targetId: tx.actor!.userId });
  });
}

/**
 * Options for logging in with a passkey. With a session waiting for its second factor, only that
 * user's passkeys are offered; without one, any discoverable passkey may answer (passwordless).
 */
export async function authenticationOptions(ctx: Ctx, pending: SessionRow | null, mode: 'passwordless' | 'second_factor') {
  const rp = relyingParty(ctx);
  // The mode is the client's explicit choice: a half-finished password login left in the browser
  // must not turn a passwordless attempt (perhaps by another person) into that user's second factor.
  if (mode === 'second_factor' && pending?.stage !== 'totp') {
    throw badRequest('no_pending_login', 'There is no login waiting for a second factor; log in with your password first.');
  }
  const userId = mode === 'second_factor' && pending ? pending.user_id : null;
  const allow = userId ? await passkeys.listCredentials(ctx.db, userId) : [];
  const options = await generateAuthenticationOptions({
    rpID: rp.rpID,
    userVerification: userId ? 'preferred' : 'required',
    ...(userId && { allowCredentials: allow.map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransportFuture[] })) }),
  });
  const { id } = await passkeys.insertChallenge(ctx.db, { challenge: options.challenge, purpose: 'authenticate', userId, sessionId: userId ? pending!.id : null });
  return { challengeId: id, options: { ...options } };
}

export interface PasskeyLogin {
  /** A new session token when this was a passwordless login; null when it completed a pending session. */
  sessionToken: string | null;
  csrfToken: string;
}

const invalid = () => new AppError('unauthenticated', 'passkey_invalid', 'This passkey was not accepted. Try again, or log in with your password.');

/**
 * Verifies a passkey assertion: completes the second factor of a pending session, or (passwordless,
 * user verification required) opens a new full session.
 */
export async function authenticateWithPasskey(ctx: Ctx, input: { challengeId: string; response: AuthenticationResponseJSON }, pending: SessionRow | null): Promise<PasskeyLogin> {
  const rp = relyingParty(ctx);
  const challenge = await passkeys.takeChallenge(ctx.db, input.challengeId, 'authenticate');
  if (!challenge) throw new AppError('unauthenticated', 'passkey_challenge_invalid', 'This passkey request expired or is unknown; start again.');
  const credential = await passkeys.findCredential(ctx.db, input.response.id);
  if (!credential) throw invalid();
  const secondFactor = challenge.session_id !== null;
  if (secondFactor && (!pending || pending.id !== challenge.session_id || pending.user_id !== credential.user_id)) throw invalid();
  const user = await repo.findUserWithOrgById(ctx.db, credential.user_id);
  if (!user || user.status !== 'active') throw invalid();
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: { id: credential.id, publicKey: new Uint8Array(credential.public_key), counter: Number(credential.counter), transports: credential.transports as AuthenticatorTransportFuture[] },
      requireUserVerification: !secondFactor,
    });
  } catch {
    await record(ctx, { action: 'auth.passkey', outcome: 'failure', actorEmail: user.email, targetType: 'user', targetId: user.id });
    throw invalid();
  }
  if (!verified.verified) throw invalid();
  return inTransaction(ctx, async (tx) => {
    await passkeys.markUsed(tx.db, credential.id, verified.authenticationInfo.newCounter);
    await repo.updateUser(tx.db, user.id, { last_login_at: new Date() });
    if (secondFactor && pending) {
      await repo.updateSession(tx.db, pending.id, { stage: 'full' });
      await record(tx, { action: 'auth.passkey', actorEmail: user.email, targetType: 'user', targetId: user.id, details: { mode: 'second_factor' } });
      return { sessionToken: null, csrfToken: pending.csrf_token };
    }
    const sessionToken = randomToken();
    const csrfToken = randomToken(24);
    const expiresAt = new Date(Date.now() + ctx.services.config.sessionAbsoluteHours * 3600_000);
    const s = await repo.insertSession(tx.db, { tokenHash: sha256(sessionToken), userId: user.id, stage: 'full', csrfToken, ip: ctx.ip, userAgent: ctx.userAgent, expiresAt });
    await record(tx, { action: 'auth.passkey', actorEmail: user.email, targetType: 'user', targetId: user.id, details: { mode: 'passwordless', sessionId: s.id } });
    return { sessionToken, csrfToken };
  });
}
