import type { Ctx } from '#server/context.ts';
import { notFound } from '#server/errors.ts';
import { authorize, canSeeMarked, reachOf } from '#modules/access/policy.ts';
import type { Actor } from '#modules/access/actor.ts';
import type { Permission } from '#modules/access/permissions.ts';
import { isCertRole } from '#modules/access/permissions.ts';
import { record } from '#modules/audit/audit.service.ts';
import * as repo from './meeting.repository.ts';

/**
 * Every route that names a meeting goes through `loadMeeting`: the permission first, then the
 * meeting's TLP marking (the policy's canSeeMarked). A meeting the actor may not see does not exist
 * for them (404), and the refusal is audited.
 */
export async function loadMeeting(
  ctx: Ctx,
  id: string,
  permission: Permission,
  opts: { lock?: boolean } = {},
): Promise<{ meeting: repo.MeetingRow; actor: Actor }> {
  authorize(ctx.actor, permission);
  const meeting = opts.lock ? await repo.lockMeeting(ctx.db, id) : await repo.findMeeting(ctx.db, id);
  if (!meeting) throw notFound('meeting');
  if (!(await canSeeMeeting(ctx, ctx.actor, meeting))) {
    await record(ctx, { action: 'meeting.read', targetType: 'meeting', targetId: id, outcome: 'denied', details: { tlp: meeting.tlp } });
    throw notFound('meeting');
  }
  return { meeting, actor: ctx.actor };
}

export async function canSeeMeeting(ctx: Ctx, actor: Actor | null, meeting: repo.MeetingRow): Promise<boolean> {
  const recipients = await repo.recipientsOf(ctx.db, repo.MEETING_OBJECT, meeting.id);
  return canSeeMarked(actor, { tlp: meeting.tlp, ownerOrganisationId: meeting.owner_organisation_id, recipients });
}

/** The organiser's view (attendee lists, recipients, management): the CERT with meetings:write. */
export function canManage(actor: Actor): boolean {
  return reachOf(actor, 'meetings:write') === 'any' && isCertRole(actor.role);
}

/** A material is seen under its own marking and only by those who see its meeting. */
export async function canSeeMaterial(ctx: Ctx, actor: Actor, material: repo.MaterialRow): Promise<boolean> {
  const recipients = await repo.recipientsOf(ctx.db, repo.MATERIAL_OBJECT, material.id);
  return canSeeMarked(actor, { tlp: material.tlp, ownerOrganisationId: material.owner_organisation_id, recipients });
}
