import type { Ctx } from '#server/context.ts';
import { notFound } from '#server/errors.ts';
import { authorize, reachOf } from '#modules/access/policy.ts';
import { buildActor } from '#modules/identity/actor-builder.ts';
import { findUserWithOrgById } from '#modules/identity/identity.repository.ts';
import { randomToken, sha256 } from '#modules/identity/secrets.ts';
import { record } from '#modules/audit/audit.service.ts';
import { feedIcs } from './meeting-ical.ts';
import { icalContext, icalMeeting } from './meeting-mail.ts';
import * as repo from './meeting.repository.ts';

/**
 * The personal calendar feed. Calendar clients cannot log in, so the URL carries a 256-bit secret of
 * the user's; only its SHA-256 is stored. Every fetch rebuilds the user's actor (role, organisation,
 * partner relations as they are now) with nothing but meetings:read, and lists through the same TLP
 * rule in SQL as the portal's list: a disabled user's feed, or a rotated token, stops at once.
 */

export function feedUrl(ctx: Ctx, token: string): string {
  return `${ctx.services.config.publicUrl}/api/v1/meetings/feed/${token}.ics`;
}

export async function feedTokenStatus(ctx: Ctx) {
  authorize(ctx.actor, 'meetings:read');
  const row = await repo.feedTokenOf(ctx.db, ctx.actor.userId);
  return { active: Boolean(row), createdAt: row?.created_at.toISOString() ?? null };
}

/** Creates the feed address, or replaces it: the old one stops working. Shown once. */
export async function rotateFeedToken(ctx: Ctx) {
  authorize(ctx.actor, 'meetings:read');
  const token = randomToken();
  const row = await repo.replaceFeedToken(ctx.db, ctx.actor.userId, sha256(token));
  await record(ctx, { action: 'meeting.feed_token', targetType: 'user', targetId: ctx.actor.userId });
  return { url: feedUrl(ctx, token), createdAt: row.created_at.toISOString() };
}

/** The feed for a presented token; any doubt (unknown token, disabled user, no permission) is 404. */
export async function feedFor(ctx: Ctx, presented: string): Promise<string> {
  const token = presented.replace(/\.ics$/, '');
  const owner = await repo.userOfFeedToken(ctx.db, sha256(token));
  const user = owner ? await findUserWithOrgById(ctx.db, owner.user_id) : undefined;
  if (!user || user.status !== 'active') throw notFound('feed');
  const actor = await buildActor(ctx.db, user, { tokenId: `calendar-feed:${user.id}`, scopes: ['meetings:read'] });
  if (reachOf(actor, 'meetings:read') === null) throw notFound('feed');
  const as: Ctx = { ...ctx, actor };
  const meetings = await repo.listVisible(ctx.db, actor, { when: 'feed', limit: 500, now: new Date() });
  if (meetings.some((m) => m.tlp !== 'GREEN'))
    await record(as, { action: 'meeting.feed', targetType: 'user', targetId: user.id, details: { count: meetings.length } });
  const owners = new Set(meetings.map((m) => m.owner_organisation_id));
  const ical = await icalContext(ctx, [...owners][0] ?? actor.organisationId);
  return feedIcs(
    ical,
    ical.organizer.name,
    meetings.map((m) => icalMeeting(ctx, m)),
  );
}
