import { inTransaction, type Ctx } from '#server/context.ts';
import { notFound } from '#server/errors.ts';
import { requireActor } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import * as repo from './identity.repository.ts';

/** One's own name or language. */
export async function updateProfile(ctx: Ctx, patch: { name?: string | undefined; locale?: 'nl' | 'en' | undefined }): Promise<void> {
  requireActor(ctx.actor);
  await inTransaction(ctx, async (tx) => {
    await repo.updateUser(tx.db, tx.actor!.userId, { ...patch, updated_at: new Date() });
    await record(tx, { action: 'user.profile_update', targetType: 'user', targetId: tx.actor!.userId, details: { fields: Object.keys(patch) } });
  });
}

/** One's own open sessions, newest activity first. */
export async function listOwnSessions(ctx: Ctx) {
  requireActor(ctx.actor);
  return repo.listSessions(ctx.db, ctx.actor.userId);
}

/** Ends one of one's own sessions, and its realtime streams in every process. */
export async function revokeOwnSession(ctx: Ctx, sessionId: string): Promise<void> {
  requireActor(ctx.actor);
  await inTransaction(ctx, async (tx) => {
    if (!(await repo.revokeSession(tx.db, sessionId, tx.actor!.userId))) throw notFound('session');
    await publish(tx, { type: 'session.ended', organisationId: null, data: {}, internal: true, revoke: { userId: tx.actor!.userId, sessionId } });
    await record(tx, { action: 'session.revoke', targetType: 'session', targetId: sessionId });
  });
}
