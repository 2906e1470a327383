import type { Ctx } from '#server/context.ts';
import { notFound } from '#server/errors.ts';
import { authorize, canSeeMarked } from '#modules/access/policy.ts';
import { isCertRole } from '#modules/access/permissions.ts';
import { record } from '#modules/audit/audit.service.ts';
import { tlpRank } from '#lib/tlp.ts';
import * as repo from './event.repository.ts';
import * as feeds from './feed.repository.ts';
import { tlp2MarkingDefinition } from './stix-markings.ts';
import type { EventOut } from './zdn.schema.ts';

export function presentEvent(e: repo.EventRow & { date_text: string; indicator_count: number | null }, ctx: Ctx): EventOut {
  const actor = ctx.actor;
  const hideSource = e.source_anonymous && !(actor && (isCertRole(actor.role) || actor.organisationId === e.owner_organisation_id));
  return {
    id: e.id,
    title: e.title,
    description: e.description,
    tlp: e.tlp,
    threatLevel: e.threat_level,
    analysis: e.analysis,
    date: e.date_text,
    tags: e.tags,
    origin: e.origin,
    sourceOrganisationId: hideSource ? null : e.owner_organisation_id,
    sourceAnonymous: e.source_anonymous,
    indicatorCount: Number(e.indicator_count ?? 0),
    createdAt: e.created_at.toISOString(),
    updatedAt: e.updated_at.toISOString(),
  };
}

export async function listEvents(ctx: Ctx, q: { cursor?: string | undefined; limit: number }) {
  authorize(ctx.actor, 'zdn:read');
  const page = await repo.listVisibleEvents(ctx.db, ctx.actor, q);
  return { items: page.rows.map((e) => presentEvent(e, ctx)), nextCursor: page.nextCursor };
}

export async function loadVisibleEvent(ctx: Ctx, id: string) {
  authorize(ctx.actor, 'zdn:read');
  const event = await repo.findEvent(ctx.db, id, ctx.actor);
  if (!event) throw notFound('event');
  const recipients = await repo.eventRecipients(ctx.db, id);
  if (!canSeeMarked(ctx.actor, { tlp: event.tlp, ownerOrganisationId: event.owner_organisation_id, recipients })) {
    await record(ctx, { action: 'zdn.event.read', targetType: 'zdn_event', targetId: id, outcome: 'denied', details: { tlp: event.tlp } });
    throw notFound('event');
  }
  if (tlpRank(event.tlp) >= tlpRank('AMBER')) await record(ctx, { action: 'zdn.event.read', targetType: 'zdn_event', targetId: id, details: { tlp: event.tlp } });
  return event;
}

export async function getEvent(ctx: Ctx, id: string): Promise<EventOut> {
  return presentEvent(await loadVisibleEvent(ctx, id), ctx);
}

/** The event as a STIX 2.1 bundle: a report, the CERT's identity, its indicators and the TLP markings they use. */
export async function eventBundle(ctx: Ctx, id: string): Promise<string> {
  const event = await loadVisibleEvent(ctx, id);
  const identity = await feeds.certIdentity(ctx.db);
  const objects = await feeds.stixObjectsOfEvent(ctx.db, ctx.actor, identity.id, id);
  const parsed = objects.map((o) => JSON.parse(o) as { id: string; object_marking_refs: string[] });
  const refs = parsed.map((o) => o.id);
  const markings = [...new Set(parsed.map((o) => o.object_marking_refs[0]))];
  const levels = (['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const).filter((t) => markings.includes(tlp2MarkingDefinition(t).id as string) || t === event.tlp);
  const created = event.created_at.toISOString();
  const report = {
    type: 'report',
    spec_version: '2.1',
    id: `report--${event.id}`,
    created_by_ref: identity.id,
    created,
    modified: event.updated_at.toISOString() > created ? event.updated_at.toISOString() : created,
    name: event.title,
    ...(event.description ? { description: event.description } : {}),
    report_types: ['threat-report'],
    published: created,
    object_refs: refs.length ? refs : [identity.id],
    ...(event.tags.length ? { labels: event.tags } : {}),
    object_marking_refs: [tlp2MarkingDefinition(event.tlp).id],
  };
  const identityObject = { type: 'identity', spec_version: '2.1', id: identity.id, created: '2020-01-01T00:00:00.000Z', modified: '2020-01-01T00:00:00.000Z', name: identity.name, identity_class: 'organization' };
  const fixed = [identityObject, ...levels.map(tlp2MarkingDefinition), report].map((o) => JSON.stringify(o));
  return `{"type":"bundle","id":"bundle--${event.id}","objects":[${[...fixed, ...objects].join(',')}]}`;
}
