import type { Ctx } from '#server/context.ts';
import { decodeCursor, encodeCursor } from '#server/pagination.ts';
import { notFound } from '#server/errors.ts';
import { requireActor } from '#modules/access/policy.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import * as repo from './notification.repository.ts';
import type { NotificationInput } from './notification.repository.ts';

/**
 * The portal inbox. Notifications are written in the transaction of whatever caused them, to users
 * the caller has already resolved through the access policy; each user reads only their own.
 * The live push carries no content: the browser fetches the inbox, which the policy filters.
 */

// A NOTIFY payload holds at most 8000 bytes: about 150 user ids per event.
const IDS_PER_EVENT = 150;

export async function notifyUsers(ctx: Ctx, userIds: readonly string[], n: NotificationInput): Promise<number> {
  const inserted = await repo.insertForUsers(ctx.db, [...new Set(userIds)], n);
  for (let i = 0; i < inserted.length; i += IDS_PER_EVENT) {
    await publish(ctx, { type: 'notifications.changed', organisationId: null, userIds: inserted.slice(i, i + IDS_PER_EVENT), data: { kind: n.kind } });
  }
  return inserted.length;
}

export async function notifyCertStaff(ctx: Ctx, n: NotificationInput): Promise<number> {
  return notifyUsers(ctx, await repo.certStaffIds(ctx.db), n);
}

export async function listMine(ctx: Ctx, q: { unread?: boolean; cursor?: string; limit?: number }) {
  requireActor(ctx.actor);
  const limit = q.limit ?? 50;
  const rows = await repo.listForUser(ctx.db, ctx.actor.userId, { unreadOnly: q.unread ?? false, before: decodeCursor(q.cursor), limit });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > limit && last ? encodeCursor(last.cursor_at, last.id) : null,
    unread: await repo.unreadCount(ctx.db, ctx.actor.userId),
  };
}

export async function unreadCount(ctx: Ctx): Promise<number> {
  requireActor(ctx.actor);
  return repo.unreadCount(ctx.db, ctx.actor.userId);
}

export async function markRead(ctx: Ctx, ids: readonly string[] | 'all'): Promise<number> {
  requireActor(ctx.actor);
  const changed = await repo.markRead(ctx.db, ctx.actor.userId, ids);
  // One named notification that is not mine (or does not exist) is not found, as anywhere else.
  if (ids !== 'all' && ids.length === 1 && changed === 0 && !(await repo.belongsTo(ctx.db, ids[0]!, ctx.actor.userId))) throw notFound('notification');
  if (changed) await publish(ctx, { type: 'notifications.changed', organisationId: null, userIds: [ctx.actor.userId], data: { kind: 'read' } });
  return changed;
}
