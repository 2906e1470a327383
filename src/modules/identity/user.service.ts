import { inTransaction, type Ctx } from '#server/context.ts';
import { AppError, badRequest, conflict, notFound } from '#server/errors.ts';
import { authorize, organisationScope, requireActor } from '#modules/access/policy.ts';
import { isCertRole, rolesForOrganisationKind, type Role } from '#modules/access/permissions.ts';
import { record } from '#modules/audit/audit.service.ts';
import { queueMail } from '#modules/mail/outbox.service.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import * as orgRepo from '#modules/organisations/organisation.repository.ts';
import * as repo from './identity.repository.ts';
import * as usersRepo from './users.repository.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.ts';
import { assertNotThrottled, countFailure } from './auth.service.ts';
import { randomToken, sha256 } from './secrets.ts';

const INVITATION_DAYS = 7;
const RESET_HOURS = 2;

export async function listUsers(ctx: Ctx, q: { organisationId?: string | undefined; cursor?: string | undefined; limit: number }) {
  authorize(ctx.actor, 'users:read');
  return usersRepo.listUsers(ctx.db, { scope: organisationScope(ctx.actor, 'users:read'), ...q });
}

/** Invites a user: the account exists at once; the person sets a password from the mailed link. */
export async function inviteUser(ctx: Ctx, input: { email: string; name: string; role: Role; organisationId: string; password?: string }) {
  authorize(ctx.actor, 'users:write', { organisationId: input.organisationId, notFoundAs: 'organisation' });
  const org = await orgRepo.findOrganisation(ctx.db, input.organisationId);
  if (!org) throw notFound('organisation');
  if (!rolesForOrganisationKind(org.kind).includes(input.role)) {
    throw badRequest('role_not_allowed_for_organisation', `A ${org.kind} organisation cannot have users with the role ${input.role}.`, { field: 'role' });
  }
  // Only CERT admins create CERT staff; participant admins manage their own organisation's users.
  if (isCertRole(input.role) && ctx.actor.role !== 'cert-admin') throw new AppError('forbidden', 'forbidden', 'Only a CERT admin can create CERT staff.');
  if (input.password !== undefined) checkPasswordPolicy(input.password, { email: input.email });
  if (await repo.findUserWithOrgByEmail(ctx.db, input.email)) throw conflict('email_taken', 'A user with this e-mail address already exists.', { field: 'email' });
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;
  return inTransaction(ctx, async (tx) => {
    const user = await usersRepo.insertUser(tx.db, {
      email: input.email,
      name: input.name,
      role: input.role,
      organisationId: input.organisationId,
      passwordHash,
      status: passwordHash ? 'active' : 'invited',
    });
    if (!passwordHash) await sendPasswordLink(tx, user.id, input.email, 'invitation');
    await record(tx, { action: 'user.create', targetType: 'user', targetId: user.id, details: { email: input.email, role: input.role, organisationId: input.organisationId } });
    return user;
  });
}

async function sendPasswordLink(ctx: Ctx, userId: string, email: string, purpose: 'invitation' | 'reset'): Promise<void> {
  const token = randomToken();
  const hours = purpose === 'invitation' ? INVITATION_DAYS * 24 : RESET_HOURS;
  await repo.insertPasswordToken(ctx.db, { userId, purpose, tokenHash: sha256(token), expiresAt: new Date(Date.now() + hours * 3600_000) });
  const link = `${ctx.services.config.publicUrl}/set-password?token=${token}`;
  const subject = purpose === 'invitation' ? 'Uitnodiging voor Wachtpost / Invitation to Wachtpost' : 'Wachtwoord opnieuw instellen / Reset your password';
  const text =
    purpose === 'invitation'
      ? `U bent uitgenodigd voor Wachtpost. Kies uw wachtwoord via de link hieronder (${INVITATION_DAYS} dagen geldig).\nYou have been invited to Wachtpost. Choose your password with the link below (valid ${INVITATION_DAYS} days).\n\n${link}\n`
      : `Iemand vroeg een nieuw wachtwoord aan voor dit adres. Was u dat niet, negeer dan dit bericht.\nSomeone asked to reset the password of this address. If that was not you, ignore this message.\n\n${link}\n\n(${RESET_HOURS} uur geldig / valid ${RESET_HOURS} hours)\n`;
  await queueMail(ctx, `${purpose}.${sha256(token).slice(0, 16)}`, { to: email, subject, text });
}

/** Always answers the same, whether or not the address exists, so accounts cannot be discovered. */
export async function requestPasswordReset(ctx: Ctx, email: string): Promise<void> {
  const user = await repo.findUserWithOrgByEmail(ctx.db, email);
  await inTransaction(ctx, async (tx) => {
    if (user && user.status === 'active') await sendPasswordLink(tx, user.id, user.email, 'reset');
    await record(tx, { action: 'auth.password_reset_request', actorEmail: email.slice(0, 320), targetType: 'user', targetId: user?.id ?? null });
  });
}

/** Sets a password from an invitation or reset link; ends every other session of the user. */
export async function completePasswordLink(ctx: Ctx, token: string, newPassword: string): Promise<void> {
  const consumed = await inTransaction(ctx, async (tx) => {
    const row = await repo.consumePasswordToken(tx.db, sha256(token));
    if (!row) return null;
    const user = await repo.findUserWithOrgById(tx.db, row.user_id);
    if (!user || user.status === 'disabled') return null;
    checkPasswordPolicy(newPassword, { email: user.email });
    await repo.updateUser(tx.db, user.id, { password_hash: await hashPassword(newPassword), status: 'active', updated_at: new Date() });
    await repo.revokeAllSessions(tx.db, user.id);
    await publish(tx, { type: 'session.ended', organisationId: null, data: {}, internal: true, revoke: { userId: user.id } });
    await record(tx, { action: row.purpose === 'invitation' ? 'user.accept_invitation' : 'user.password_reset', actorEmail: user.email, targetType: 'user', targetId: user.id });
    return row;
  });
  if (!consumed) throw badRequest('link_invalid', 'This link is unknown, already used or expired. Ask for a new one.');
}

export async function changePassword(ctx: Ctx, input: { currentPassword: string; newPassword: string }): Promise<void> {
  requireActor(ctx.actor);
  const user = await repo.findUserWithOrgById(ctx.db, ctx.actor.userId);
  if (!user) throw notFound('user');
  // The current password is a secret like any other: guesses here count toward the login throttle.
  await assertNotThrottled(ctx, user.email);
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    await countFailure(ctx, user.email);
    throw badRequest('current_password_wrong', 'Your current password is not right.', { field: 'currentPassword' });
  }
  checkPasswordPolicy(input.newPassword, { email: user.email });
  const hash = await hashPassword(input.newPassword);
  await inTransaction(ctx, async (tx) => {
    await repo.updateUser(tx.db, user.id, { password_hash: hash, updated_at: new Date() });
    await repo.revokeAllSessions(tx.db, user.id, tx.actor?.sessionId ?? undefined);
    await publish(tx, { type: 'session.ended', organisationId: null, data: {}, internal: true, revoke: { userId: user.id, ...(tx.actor?.sessionId && { exceptSessionId: tx.actor.sessionId }) } });
    await record(tx, { action: 'user.password_change', targetType: 'user', targetId: user.id });
  });
}

/** Disabling ends every session, API token and open realtime stream of the user at once. */
export async function setUserEnabled(ctx: Ctx, userId: string, enabled: boolean): Promise<void> {
  const target = await repo.findUserWithOrgById(ctx.db, userId);
  authorize(ctx.actor, 'users:write', { organisationId: target?.organisation_id ?? '', notFoundAs: 'user' });
  if (!target) throw notFound('user');
  if (isCertRole(target.role) && ctx.actor.role !== 'cert-admin') throw new AppError('forbidden', 'forbidden', 'Only a CERT admin can change CERT staff.');
  if (target.id === ctx.actor.userId) throw badRequest('cannot_disable_self', 'You cannot disable your own account.');
  await inTransaction(ctx, async (tx) => {
    if (enabled) {
      await repo.updateUser(tx.db, userId, { status: target.password_hash ? 'active' : 'invited', disabled_at: null, updated_at: new Date() });
    } else {
      await repo.updateUser(tx.db, userId, { status: 'disabled', disabled_at: new Date(), updated_at: new Date() });
      await repo.revokeAllSessions(tx.db, userId);
      await repo.revokeAllTokens(tx.db, userId);
      await publish(tx, { type: 'user.disabled', organisationId: target.organisation_id, data: { userId }, revoke: { userId } });
    }
    await record(tx, { action: enabled ? 'user.enable' : 'user.disable', targetType: 'user', targetId: userId });
  });
}
